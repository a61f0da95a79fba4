package io.streamsight.sinks.connect.webhook;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two ways a webhook sender treats a response body: never wait for it, or read a bounded
 * excerpt.
 */
final class ResponseBodies {
  private ResponseBodies() {}

  /**
   * A 2xx body: the response is complete at once (the status is all that matters); the bytes are
   * drained in the background so the connection goes back to the pool, and the body is cut (the
   * connection closed) if it is still arriving at the attempt's deadline.
   */
  static final class Drain implements HttpResponse.BodySubscriber<String> {
    private final ScheduledExecutorService cutter;
    private final long deadlineNanos;
    private volatile ScheduledFuture<?> cut;

    Drain(ScheduledExecutorService cutter, long deadlineNanos) {
      this.cutter = cutter;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public CompletionStage<String> getBody() {
      return CompletableFuture.completedFuture("");
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      try {
        cut =
            cutter.schedule(
                s::cancel, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        s.cancel(); // the sender is closed
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable t) {
      done();
    }

    @Override
    public void onComplete() {
      done();
    }

    private void done() {
      ScheduledFuture<?> c = cut;
      if (c != null) {
        c.cancel(false);
      }
    }
  }

  /**
   * An error body: its first {@code limit} bytes, printable on one line ("..." when there was
   * more); the rest is not read (the subscription is cancelled, the connection closed).
   */
  static final class Excerpt implements HttpResponse.BodySubscriber<String> {
    private final int limit;
    private final byte[] buf;
    private int size;
    private boolean more;
    private Flow.Subscription subscription;
    private final CompletableFuture<String> body = new CompletableFuture<>();

    Excerpt(int limit) {
      this.limit = limit;
      this.buf = new byte[limit + 1]; // one more: tells "exactly limit" from "more"
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int n = Math.min(b.remaining(), buf.length - size);
        b.get(buf, size, n);
        size += n;
      }
      more = size > limit;
      if (more) {
        subscription.cancel();
        finish();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      finish(); // what arrived is still the best explanation there is
    }

    @Override
    public void onComplete() {
      finish();
    }

    private void finish() {
      if (body.isDone()) {
        return;
      }
      String s = new String(buf, 0, Math.min(size, limit), StandardCharsets.UTF_8);
      StringBuilder out = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        out.append(Character.isISOControl(c) ? ' ' : c);
      }
      body.complete(out.toString().strip() + (more ? "..." : ""));
    }
  }
}
