package io.streamsight.vlm.remote;

import com.fasterxml.jackson.core.JacksonException;
import com.openai.core.http.Headers;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SDK call (the SDK's own retries are off) and retries it on 408, 429, 5xx, connection
 * errors and timeouts, waiting {@link RetryDelay} between attempts, at most {@code maxRetries}
 * times. Every other failure (another 4xx, a malformed or oversized body) ends the call at once:
 * asking again would get the same answer.
 */
final class RetryingCaller {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);
  private static final int MAX_REASON_CHARS = 300;

  private final String server;
  private final int maxRetries;
  private final RetryDelay delay;
  private final String secret;

  /**
   * @param secret a value that must never appear in a failure's text (the API key: a server's error
   *     message may quote the credential it refused), or {@code null}
   */
  RetryingCaller(String server, int maxRetries, RetryDelay delay, String secret) {
    this.secret = secret;
    this.server = server;
    this.maxRetries = maxRetries;
    this.delay = delay;
  }

  /**
   * The call failed for good.
   *
   * @param serverFault the server was unreachable or kept failing until the retries were spent
   *     (what opens the circuit), rather than rejecting this request on its merits
   */
  static final class CallFailedException extends Exception {
    private final boolean serverFault;
    private final int status;

    CallFailedException(String reason, boolean serverFault) {
      this(reason, serverFault, 0);
    }

    CallFailedException(String reason, boolean serverFault, int status) {
      super(reason);
      this.serverFault = serverFault;
      this.status = status;
    }

    /** The HTTP status of a rejected request, 0 when there was none. */
    int status() {
      return status;
    }

    boolean serverFault() {
      return serverFault;
    }
  }

  <T> T call(String what, Supplier<T> call) throws CallFailedException {
    for (int attempt = 0; ; attempt++) {
      String failure;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        return call.get();
      } catch (OpenAIServiceException e) {
        int status = e.statusCode();
        failure = "HTTP " + status + " from " + server + ": " + clip(e.getMessage());
        if (!retriable(status)) {
          throw failed(what + " failed: " + failure, false, status);
        }
        retryAfter = retryAfter(e.headers());
      } catch (OpenAIIoException e) {
        failure =
            "no answer from " + server + ": " + describe(e.getCause() == null ? e : e.getCause());
      } catch (OpenAIInvalidDataException e) {
        ServerTransport.TooLargeException tooLarge =
            cause(e, ServerTransport.TooLargeException.class);
        if (tooLarge != null) {
          throw failed(what + " failed: " + server + " sent a " + tooLarge.getMessage(), false);
        }
        IOException io = transportFailure(e);
        if (io == null) {
          throw failed(
              what + " failed: malformed response from " + server + ": " + clip(rootMessage(e)),
              false);
        }
        // The body stopped (the call's deadline, a reset): the server's fault, worth a retry.
        failure = "reading the response from " + server + " failed: " + describe(io);
      } catch (OpenAIException e) {
        throw failed(what + " failed: " + clip(rootMessage(e)), false);
      }
      if (attempt >= maxRetries) {
        throw failed(what + " failed after " + (attempt + 1) + " attempts: " + failure, true);
      }
      Duration wait = delay.delay(attempt + 1, retryAfter);
      LOG.debug(
          "{} attempt {} failed ({}); retrying in {} ms",
          what,
          attempt + 1,
          secret == null || secret.isEmpty() ? failure : failure.replace(secret, "***"),
          wait.toMillis());
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failed(what + " interrupted while waiting to retry: " + failure, false);
      }
    }
  }

  private CallFailedException failed(String reason, boolean serverFault) {
    return failed(reason, serverFault, 0);
  }

  private CallFailedException failed(String reason, boolean serverFault, int status) {
    String text = secret == null || secret.isEmpty() ? reason : reason.replace(secret, "***");
    return new CallFailedException(text, serverFault, status);
  }

  static boolean retriable(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
  }

  static Optional<Duration> retryAfter(Headers headers) {
    return RetryDelay.parseRetryAfter(
        first(headers.values("retry-after-ms")),
        first(headers.values("Retry-After")),
        Instant.now());
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }

  private static <E extends Throwable> E cause(Throwable t, Class<E> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  /**
   * The I/O failure under a body that could not be read (a timeout, a reset), or null when the body
   * was read and is malformed: Jackson's parse errors are IOExceptions too, but asking again would
   * get the same garbage.
   */
  private static IOException transportFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException io && !(c instanceof JacksonException)) {
        return io;
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " " + clip(m));
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root == t ? String.valueOf(m) : t.getMessage() + ": " + m;
  }

  static String clip(String s) {
    return YesNoScore.clip(s == null ? "" : s.replaceAll("\\s+", " "), MAX_REASON_CHARS);
  }
}
