package io.streamsight.vlm.remote;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP client under the SDK. It caps every response body: the SDK reads a body whole, so a
 * server that answers with gigabytes (a bug, a proxy's error page loop) would exhaust the
 * TaskManager's heap; past the cap, reading fails with {@link TooLargeException}, which the model
 * reports as a failed request naming the limit. And it holds the API key: the SDK insists on a
 * credential even for a local server that takes none, so the SDK is given a placeholder and this
 * layer, the last before the wire, sets the real bearer token or removes the header. The key lives
 * only here, never in the SDK's options.
 */
final class ServerTransport implements HttpClient {
  /** What the SDK gets as its credential; never sent. */
  static final String PLACEHOLDER_KEY = "set-by-ServerTransport";

  /** A chat completion with a few hundred tokens and top_logprobs is a few kilobytes. */
  static final long MAX_RESPONSE_BYTES = 4L << 20;

  private final HttpClient delegate;
  private final long maxBytes;
  private final String apiKey;

  /**
   * @param apiKey the bearer token, or {@code null} for a server without authentication
   */
  ServerTransport(HttpClient delegate, long maxBytes, String apiKey) {
    this.delegate = delegate;
    this.maxBytes = maxBytes;
    this.apiKey = apiKey;
  }

  /** A response body over the cap. */
  static final class TooLargeException extends IOException {
    TooLargeException(long maxBytes) {
      super("response body larger than " + maxBytes + " bytes");
    }
  }

  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions options) {
    return bounded(delegate.execute(authorized(request), options));
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
    return delegate.executeAsync(authorized(request), options).thenApply(this::bounded);
  }

  private HttpRequest authorized(HttpRequest request) {
    HttpRequest.Builder b = request.toBuilder().removeHeaders("Authorization");
    // Azure endpoints take the key as api-key; the SDK names that header for them.
    boolean azure = !request.headers().values("api-key").isEmpty();
    b.removeHeaders("api-key");
    if (apiKey != null) {
      b.putHeader(azure ? "api-key" : "Authorization", azure ? apiKey : "Bearer " + apiKey);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "ServerTransport[" + (apiKey == null ? "no key" : "key ***") + "]";
  }

  @Override
  public void close() {
    delegate.close();
  }

  private HttpResponse bounded(HttpResponse response) {
    return new HttpResponse() {
      private InputStream body;

      @Override
      public int statusCode() {
        return response.statusCode();
      }

      @Override
      public Headers headers() {
        return response.headers();
      }

      @Override
      public Optional<String> requestId() {
        return response.requestId();
      }

      @Override
      public synchronized InputStream body() {
        if (body == null) {
          body = new Capped(response.body(), maxBytes);
        }
        return body;
      }

      @Override
      public void close() {
        response.close();
      }
    };
  }

  private static final class Capped extends FilterInputStream {
    private final long max;
    private long read;

    Capped(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(long n) throws TooLargeException {
      read += n;
      if (read > max) {
        throw new TooLargeException(max);
      }
    }
  }
}
