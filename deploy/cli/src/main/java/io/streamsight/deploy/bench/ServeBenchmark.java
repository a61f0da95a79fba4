package io.streamsight.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import io.streamsight.vlm.operator.inference.Completion;
import io.streamsight.vlm.operator.inference.EngineModelProvider;
import io.streamsight.vlm.operator.inference.InferenceService;
import io.streamsight.vlm.serve.ServeConfig;
import io.streamsight.vlm.serve.ServeServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * {@code streamsight bench serve}: the same requests at the same concurrency through {@code serve}
 * over HTTP (the official OpenAI client, one HTTP connection per client thread) and straight into
 * an {@link InferenceService} in this JVM (the reference: what the operator does), rounds
 * alternating which side runs. Fixture model and shipped defaults on both sides (the same batching
 * settings, each side its own engine, idle while the other runs). Every image is a fresh array on
 * both sides, so neither gets the engine's feature cache for free.
 *
 * <p>Prints one JSON line per row: each side of each round, then the summary (median throughput
 * ratio and added p50 latency over the rounds, with their targets).
 */
public final class ServeBenchmark {
  static final String MODEL = "fixture";
  static final String PROMPT = "Describe the image.";
  static final int MAX_TOKENS = 16;
  private static final String[] COLOURS = {"red", "green", "blue", "yellow", "white", "black"};
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final int requests;
  private final int concurrency;
  private final int rounds;

  public ServeBenchmark(PrintStream out, int requests, int concurrency, int rounds) {
    this.out = out;
    this.requests = requests;
    this.concurrency = concurrency;
    this.rounds = rounds;
  }

  /** One side's figures for one round. */
  record Side(
      double throughput, double p50Ms, double p99Ms, double meanBatch, double cpuMsPerRequest) {}

  public void run() throws Exception {
    Path dir = Files.createTempDirectory("streamsight-bench-serve");
    Path model = VlmFixtureModel.write(dir.resolve(MODEL));
    EngineModelProvider provider = new EngineModelProvider(model.toString()); // shipped defaults
    ServeConfig config = ServeConfig.defaults(MODEL).withBind(ServeConfig.LOOPBACK, 0);
    List<byte[]> images = new ArrayList<>();
    for (String c : COLOURS) {
      images.add(jpeg(c));
    }
    try (InferenceService local = new InferenceService(provider.open(), config.inference());
        ServeServer server = ServeServer.start(config, null, provider::open)) {
      server.awaitReady(Duration.ofMinutes(2));
      this.server = server;
      OpenAIClient client =
          OpenAIOkHttpClient.builder()
              .baseUrl(server.baseUrl().toString())
              .apiKey("loopback")
              .maxRetries(0)
              .timeout(Duration.ofSeconds(120))
              .build();
      try {
        inProcess(local, images, Math.min(requests, 64)); // warm-up, not reported
        served(client, images, Math.min(requests, 64));
        raw(server, images, Math.min(requests, 64));
        List<Double> ratios = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
          boolean serveFirst = r % 2 == 0;
          Side a =
              serveFirst ? served(client, images, requests) : inProcess(local, images, requests);
          Side b =
              serveFirst ? inProcess(local, images, requests) : served(client, images, requests);
          Side in = serveFirst ? b : a;
          Side http = serveFirst ? a : b;
          // Diagnostic, not in the ratio: serve called with the JDK's HTTP client and prebuilt
          // bodies, so the client's own cost (the SDK's JSON, base64) drops out.
          Side bare = raw(server, images, requests);
          row(r, "in-process", in);
          row(r, "serve", http);
          row(r, "serve-raw-http", bare);
          ratios.add(http.throughput() / in.throughput());
          added.add(http.p50Ms() - in.p50Ms());
          cpu.add(http.cpuMsPerRequest() - in.cpuMsPerRequest());
        }
        ObjectNode s = JSON.createObjectNode();
        s.put("bench", "serve");
        s.put("row", "summary");
        s.put("rounds", rounds);
        s.put("requests", requests);
        s.put("concurrency", concurrency);
        s.put("throughputRatio", round(median(ratios)));
        s.put("throughputRatioTarget", 0.9);
        s.put("addedP50Ms", round(median(added)));
        s.put("addedP50MsTarget", 5.0);
        s.put("addedCpuMsPerRequest", round(median(cpu)));
        s.put("largestServeBatch", server.maxBatchSize());
        out.println(JSON.writeValueAsString(s));
      } finally {
        client.close();
      }
    }
  }

  private void row(int round, String side, Side s) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", "serve");
    n.put("row", side);
    n.put("round", round);
    n.put("requests", requests);
    n.put("concurrency", concurrency);
    n.put("requestsPerSecond", round(s.throughput()));
    n.put("p50Ms", round(s.p50Ms()));
    n.put("p99Ms", round(s.p99Ms()));
    n.put("cpuMsPerRequest", round(s.cpuMsPerRequest()));
    if (!Double.isNaN(s.meanBatch())) {
      n.put("meanBatch", round(s.meanBatch()));
    }
    out.println(JSON.writeValueAsString(n));
  }

  /** One request's work, timed; returns its batch size or NaN. */
  private interface Call {
    double run(int i) throws Exception;
  }

  private Side inProcess(InferenceService local, List<byte[]> images, int n) throws Exception {
    GenerationOptions options = GenerationOptions.greedy(MAX_TOKENS, ImageBudget.PUBLISHED);
    return measure(
        n,
        i -> {
          byte[] fresh = images.get(i % images.size()).clone();
          VlmRequest req = new VlmRequest(Task.ASK, List.of(fresh), PROMPT, options);
          Completion c =
              local.submit(req, "bench", InferenceService.NEVER_SHED).get(120, TimeUnit.SECONDS);
          if (c.result().text().isEmpty()) {
            throw new IllegalStateException("empty answer: " + c.result());
          }
          return c.batchSize();
        });
  }

  private Side served(OpenAIClient client, List<byte[]> images, int n) throws Exception {
    return withServeBatches(
        () ->
            measure(
                n,
                i -> {
                  // Base64 and JSON are the price of calling a server (the in-process side hands
                  // over
                  // the bytes): timed, on the serve side only.
                  String url =
                      "data:image/jpeg;base64,"
                          + Base64.getEncoder().encodeToString(images.get(i % images.size()));
                  ChatCompletionCreateParams p =
                      ChatCompletionCreateParams.builder()
                          .model(MODEL)
                          .addUserMessageOfArrayOfContentParts(
                              List.of(
                                  ChatCompletionContentPart.ofText(
                                      ChatCompletionContentPartText.builder().text(PROMPT).build()),
                                  ChatCompletionContentPart.ofImageUrl(
                                      ChatCompletionContentPartImage.builder()
                                          .imageUrl(
                                              ChatCompletionContentPartImage.ImageUrl.builder()
                                                  .url(url)
                                                  .build())
                                          .build())))
                          .maxCompletionTokens(MAX_TOKENS)
                          .temperature(0.0)
                          .build();
                  String text =
                      client
                          .chat()
                          .completions()
                          .create(p)
                          .choices()
                          .get(0)
                          .message()
                          .content()
                          .orElse("");
                  if (text.isEmpty()) {
                    throw new IllegalStateException("empty answer");
                  }
                  return Double.NaN;
                }));
  }

  private ServeServer server;

  private interface Run {
    Side run() throws Exception;
  }

  /** The run's figures with the mean batch the server's requests ran in during it. */
  private Side withServeBatches(Run run) throws Exception {
    long sum0 = server.batchSizeSum();
    long n0 = server.completions();
    Side s = run.run();
    double mean = (double) (server.batchSizeSum() - sum0) / Math.max(1, server.completions() - n0);
    return new Side(s.throughput(), s.p50Ms(), s.p99Ms(), mean, s.cpuMsPerRequest());
  }

  private Side raw(ServeServer server, List<byte[]> images, int n) throws Exception {
    return withServeBatches(() -> rawRun(server, images, n));
  }

  private Side rawRun(ServeServer server, List<byte[]> images, int n) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI uri = java.net.URI.create(server.baseUrl() + "/chat/completions");
    List<String> bodies = new ArrayList<>();
    for (byte[] image : images) {
      bodies.add(
          "{\"model\": \""
              + MODEL
              + "\", \"max_completion_tokens\": "
              + MAX_TOKENS
              + ", \"temperature\": 0, \"messages\": [{\"role\": \"user\", \"content\":"
              + " [{\"type\": \"text\", \"text\": \""
              + PROMPT
              + "\"}, {\"type\": \"image_url\", \"image_url\": {\"url\":"
              + " \"data:image/jpeg;base64,"
              + Base64.getEncoder().encodeToString(image)
              + "\"}}]}]}");
    }
    return measure(
        n,
        i -> {
          var r =
              http.send(
                  java.net.http.HttpRequest.newBuilder(uri)
                      .header("Content-Type", "application/json")
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              bodies.get(i % bodies.size())))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("serve answered " + r.statusCode());
          }
          return Double.NaN;
        });
  }

  /**
   * {@code n} calls from {@code concurrency} threads, each calling again as soon as it has an
   * answer.
   */
  private Side measure(int n, Call call) throws Exception {
    double[] millis = new double[n];
    double[] batch = new double[n];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long s = System.nanoTime();
                    batch[i] = call.run(i);
                    millis[i] = (System.nanoTime() - s) / 1e6;
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuMs = (processCpuNanos() - cpu0) / 1e6 / n;
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    double meanBatch = Arrays.stream(batch).average().orElse(Double.NaN);
    return new Side(n / seconds, pct(sorted, 0.50), pct(sorted, 0.99), meanBatch, cpuMs);
  }

  /**
   * CPU time of this whole JVM: the steadier figure on a shared machine. The serve side's includes
   * the client's work (OpenAI SDK, base64), which in production runs elsewhere.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double pct(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** A 320x180 JPEG of one palette colour (with a little noise, as camera frames have). */
  static byte[] jpeg(String colour) throws IOException {
    Color c =
        switch (colour) {
          case "red" -> new Color(230, 20, 20);
          case "green" -> new Color(20, 160, 30);
          case "blue" -> new Color(20, 30, 220);
          case "yellow" -> new Color(240, 230, 30);
          case "white" -> new Color(250, 250, 250);
          default -> new Color(10, 10, 10);
        };
    BufferedImage img = new BufferedImage(320, 180, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 320, 180);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }
}
