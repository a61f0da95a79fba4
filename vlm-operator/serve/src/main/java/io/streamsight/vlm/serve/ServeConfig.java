package io.streamsight.vlm.serve;

import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.OperatorConfig.InferenceConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code streamsight serve} listens and what it accepts. The defaults suit one camera window
 * per request (8 keyframes of up to 4K each, base64 in JSON); everything larger is refused before
 * it costs memory.
 *
 * @param bind address to listen on; anything but loopback needs a token
 * @param port 0 = any free port
 * @param modelName the model id clients name in {@code model} (the model directory's name)
 * @param maxBodyBytes largest request body read; larger ones get 413 unread
 * @param maxImages images per request (all messages together)
 * @param maxImageBytes largest decoded image
 * @param maxImagePixels largest image by its header's width x height (checked before decoding)
 * @param defaultMaxTokens tokens generated when the request names no {@code max_tokens}
 * @param maxTokens the most a request may ask for
 * @param requestTimeout from accepting a request to its answer (queue and model); then 504
 * @param readTimeout the longest a client may take to send one request (slow clients hold a thread)
 * @param httpThreads threads parsing requests and writing answers; requests waiting for the model
 *     hold none
 * @param inference the batching queue in front of the model, as the operator's {@code inference}
 */
public record ServeConfig(
    String bind,
    int port,
    String modelName,
    int maxBodyBytes,
    int maxImages,
    int maxImageBytes,
    long maxImagePixels,
    int defaultMaxTokens,
    int maxTokens,
    Duration requestTimeout,
    Duration readTimeout,
    int httpThreads,
    InferenceConfig inference) {

  public static final String LOOPBACK = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;

  public ServeConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(inference, "inference");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    positive("maxBodyBytes", maxBodyBytes);
    positive("maxImages", maxImages);
    positive("maxImageBytes", maxImageBytes);
    positive("maxImagePixels", maxImagePixels);
    positive("defaultMaxTokens", defaultMaxTokens);
    positive("httpThreads", httpThreads);
    if (maxTokens < defaultMaxTokens) {
      throw new IllegalArgumentException("maxTokens must be >= defaultMaxTokens");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero() || readTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("requestTimeout must be > 0 and readTimeout >= 1s");
    }
  }

  private static void positive(String key, long v) {
    if (v < 1) {
      throw new IllegalArgumentException(key + " must be >= 1, got " + v);
    }
  }

  /**
   * Loopback, port 8000, 32 MiB bodies, 8 images of at most 8 MiB and 16.7 MP each (the engine's
   * own decode bound), 256 tokens unless asked (at most 2048), a 120 s answer deadline, 30 s to
   * send a request, and the operator's shipped batching (8 per run, 20 ms wait, 256 queued).
   */
  public static ServeConfig defaults(String modelName) {
    return new ServeConfig(
        LOOPBACK,
        DEFAULT_PORT,
        modelName,
        32 << 20,
        8,
        8 << 20,
        io.streamsight.vlm.preprocess.ImageDecoder.MAX_PIXELS,
        256,
        2048,
        Duration.ofSeconds(120),
        Duration.ofSeconds(30),
        8,
        OperatorConfig.defaults().inference());
  }

  public ServeConfig withBind(String address, int newPort) {
    return new ServeConfig(
        address,
        newPort,
        modelName,
        maxBodyBytes,
        maxImages,
        maxImageBytes,
        maxImagePixels,
        defaultMaxTokens,
        maxTokens,
        requestTimeout,
        readTimeout,
        httpThreads,
        inference);
  }

  public ServeConfig withMaxBodyBytes(int bytes) {
    return new ServeConfig(
        bind,
        port,
        modelName,
        bytes,
        maxImages,
        maxImageBytes,
        maxImagePixels,
        defaultMaxTokens,
        maxTokens,
        requestTimeout,
        readTimeout,
        httpThreads,
        inference);
  }

  public ServeConfig withInference(InferenceConfig newInference) {
    return new ServeConfig(
        bind,
        port,
        modelName,
        maxBodyBytes,
        maxImages,
        maxImageBytes,
        maxImagePixels,
        defaultMaxTokens,
        maxTokens,
        requestTimeout,
        readTimeout,
        httpThreads,
        newInference);
  }
}
