package io.streamsight.deploy.bench;

import com.sun.net.httpserver.HttpServer;
import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Severity;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.sinks.connect.client.Subscription;
import io.streamsight.sinks.connect.client.SubscriptionsClient;
import io.streamsight.sinks.connect.payload.Notification;
import io.streamsight.sinks.connect.payload.Notifications;
import io.streamsight.sinks.connect.webhook.Delivery;
import io.streamsight.sinks.connect.webhook.WebhookConfig;
import io.streamsight.sinks.connect.webhook.WebhookSecret;
import io.streamsight.sinks.connect.webhook.WebhookSender;
import io.streamsight.sinks.connect.worker.ConnectWorker;
import io.streamsight.sinks.connect.worker.WorkerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code streamsight bench subscriptions}: webhook delivery through a Connect worker (one
 * subscription, one task) side by side with the reference, a plain Kafka consumer loop that POSTs
 * the same signed bodies with the same sender, one record after another. Both deliver to the same
 * local receiver on an embedded broker. Throughput: a backlog of alerts, first to last receipt.
 * Latency: alerts produced at a steady rate; from the producer's acknowledgement (the alert is
 * readable on {@code vlm.alerts}) to the receiver having the request.
 */
public final class SubscriptionBenchmark {
  private final PrintStream out;
  private final int backlog;
  private final int rate;
  private final Duration latencyRun;
  private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> readableAt = new ConcurrentHashMap<>();

  public SubscriptionBenchmark(PrintStream out, int backlog, int rate, Duration latencyRun) {
    this.out = out;
    this.backlog = backlog;
    this.rate = rate;
    this.latencyRun = latencyRun;
  }

  /** Runs all four measurements and prints a table. */
  public void run() throws Exception {
    Path dir = Files.createTempDirectory("streamsight-bench-subs");
    String secret = WebhookSecret.generate();
    HttpServer receiver = receiver();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    try (KafkaBroker broker = KafkaBroker.start(BrokerConfig.singleNode(0, dir.resolve("kafka")))) {
      try (Admin admin = broker.admin()) {
        new TopicAdmin(admin).createAll(Topics.all(), (short) 1, Map.of());
      }
      String bootstrap = broker.bootstrapServers();
      try (KafkaProducer<String, Alert> producer = producer(bootstrap);
          ConnectWorker worker =
              ConnectWorker.start(
                  WorkerSettings.of(bootstrap, dir.resolve("secrets"))
                      .withListener("127.0.0.1", 0)
                      .withGroup("bench-connect"))) {
        SubscriptionsClient client =
            new SubscriptionsClient(worker.restUrl(), dir.resolve("secrets"));
        WebhookConfig senderConfig =
            WebhookConfig.parse(
                Map.of(
                    WebhookConfig.URL, url,
                    WebhookConfig.SECRET, secret,
                    WebhookConfig.ALLOW_PRIVATE, "true"));

        produceBacklog(producer, "tpp");
        double plainTp = plainThroughput(bootstrap, senderConfig, "tpp");
        produceBacklog(producer, "tpc");
        double connectTp = connectThroughput(client, url, secret, "tpc");

        double[] connectLat = connectLatency(client, url, secret, producer);
        double[] plainLat = plainLatency(bootstrap, senderConfig, producer);

        out.printf(
            "%nWebhook subscriptions, %s, %d cores, Java %s%n",
            Instant.now(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"));
        out.printf(
            "| measure | Connect (1 task) | plain consumer loop | ratio |%n|---|---|---|---|%n");
        out.printf(
            "| deliveries/s, backlog of %d | %.0f | %.0f | **%.2f** |%n",
            backlog, connectTp, plainTp, connectTp / plainTp);
        out.printf(
            "| latency p50 at %d alerts/s | %.1f ms | %.1f ms | |%n",
            rate, connectLat[0], plainLat[0]);
        out.printf(
            "| latency p99 at %d alerts/s | %.1f ms | %.1f ms | |%n",
            rate, connectLat[1], plainLat[1]);
        out.printf(
            "| latency max at %d alerts/s | %.1f ms | %.1f ms | |%n",
            rate, connectLat[2], plainLat[2]);
      }
    } finally {
      receiver.stop(0);
    }
  }

  private HttpServer receiver() throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    s.createContext(
        "/hook",
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            receivedAt.putIfAbsent(
                ex.getRequestHeaders().getFirst("webhook-id"), System.nanoTime());
            ex.sendResponseHeaders(204, -1);
          }
        });
    s.setExecutor(Executors.newFixedThreadPool(8));
    s.start();
    return s;
  }

  private static KafkaProducer<String, Alert> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(
        p, Topics.ALERTS.keySerde().serializer(), Topics.ALERTS.valueSerde().serializer());
  }

  private static Alert alert(String camera, int n) {
    return Alert.newBuilder()
        .setAlertId("bench:" + camera + ":" + n)
        .setRuleId("bench")
        .setCameraId(camera)
        .setQuestion("Is someone at the door?")
        .setPYes(0.9)
        .setThreshold(0.6)
        .setSeverity(Severity.HIGH)
        .setWindowStartMicros(n * 10_000_000L)
        .setWindowEndMicros((n + 1) * 10_000_000L)
        .setEvidence(List.of())
        .setModelId("bench")
        .build();
  }

  private void produceBacklog(KafkaProducer<String, Alert> producer, String prefix) {
    for (int n = 0; n < backlog; n++) {
      Alert a = alert(prefix + "-" + (n % 4), n);
      producer.send(new ProducerRecord<>(Topics.ALERTS.name(), a.getCameraId(), a));
    }
    producer.flush();
  }

  private double connectThroughput(
      SubscriptionsClient client, String url, String secret, String prefix) throws Exception {
    client.add(subscription("bench-tp", url, prefix), secret);
    return rate(prefix, backlog, Duration.ofMinutes(10));
  }

  private double plainThroughput(String bootstrap, WebhookConfig config, String prefix)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread t = plainConsumer(bootstrap, config, "earliest", stop);
    try {
      return rate(prefix, backlog, Duration.ofMinutes(10));
    } finally {
      stop.set(true);
      t.join();
    }
  }

  /** Deliveries per second from the first to the last receipt of {@code count} ids. */
  private double rate(String prefix, int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ids(prefix).size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + ids(prefix).size() + " of " + count + " delivered");
      }
      Thread.sleep(20); // polling for completion, not timing anything
    }
    long[] times = ids(prefix).stream().mapToLong(receivedAt::get).sorted().toArray();
    double seconds = (times[times.length - 1] - times[0]) / 1e9;
    return (count - 1) / seconds;
  }

  private List<String> ids(String prefix) {
    return receivedAt.keySet().stream().filter(k -> k.startsWith("bench:" + prefix + "-")).toList();
  }

  private double[] connectLatency(
      SubscriptionsClient client, String url, String secret, KafkaProducer<String, Alert> producer)
      throws Exception {
    client.add(subscription("bench-lat", url, "latc"), secret);
    return steady(producer, "latc");
  }

  private double[] plainLatency(
      String bootstrap, WebhookConfig config, KafkaProducer<String, Alert> producer)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread t = plainConsumer(bootstrap, config, "latest", stop);
    try {
      return steady(producer, "latp");
    } finally {
      stop.set(true);
      t.join();
    }
  }

  /**
   * Warms up until one alert comes through (the plain consumer may still be joining its group),
   * then produces at {@link #rate} and returns p50, p99 and max in ms.
   */
  private double[] steady(KafkaProducer<String, Alert> producer, String prefix) throws Exception {
    for (int w = 0; ; w++) {
      Alert warm = alert(prefix + "warm", w);
      sendTimed(producer, warm).get();
      long until = System.nanoTime() + 2_000_000_000L;
      while (!receivedAt.containsKey(warm.getAlertId()) && System.nanoTime() < until) {
        Thread.sleep(20); // polling for the warm-up alert
      }
      if (receivedAt.containsKey(warm.getAlertId())) {
        break;
      }
      if (w > 60) {
        throw new IllegalStateException("no warm-up alert arrived for " + prefix);
      }
    }
    int total = (int) (rate * latencyRun.toSeconds());
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int n = 0; n < total; n++) {
      long due = start + n * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the producer
      }
      sendTimed(producer, alert(prefix + "-" + (n % 4), n));
    }
    producer.flush();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (ids(prefix).size() < total && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    double[] lat =
        ids(prefix).stream()
            .filter(readableAt::containsKey)
            .mapToDouble(id -> (receivedAt.get(id) - readableAt.get(id)) / 1e6)
            .sorted()
            .toArray();
    return new double[] {
      lat[(int) (lat.length * 0.50)],
      lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))],
      lat[lat.length - 1]
    };
  }

  private java.util.concurrent.Future<?> sendTimed(KafkaProducer<String, Alert> producer, Alert a) {
    return producer.send(
        new ProducerRecord<>(Topics.ALERTS.name(), a.getCameraId(), a),
        (md, e) -> {
          if (e == null) {
            readableAt.put(a.getAlertId(), System.nanoTime());
          }
        });
  }

  private static Subscription subscription(String id, String url, String prefix) {
    return new Subscription(
        id,
        Subscription.Kind.WEBHOOK,
        url,
        prefix + "*",
        Severity.LOW,
        List.of(Topics.ALERTS.name()),
        true,
        "",
        Map.of());
  }

  /** The reference: poll, decode, POST one record after another, commit per batch. */
  private static Thread plainConsumer(
      String bootstrap, WebhookConfig config, String reset, AtomicBoolean stop) {
    Thread t =
        new Thread(
            () -> {
              Properties p = new Properties();
              p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
              p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-plain-" + System.nanoTime());
              p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
              p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
              Notifications notifications = new Notifications("");
              WebhookSender sender = new WebhookSender(config, Clock.systemUTC());
              try (KafkaConsumer<String, byte[]> c =
                  new KafkaConsumer<>(
                      p,
                      new StringDeserializer(),
                      new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                c.subscribe(List.of(Topics.ALERTS.name()));
                while (!stop.get()) {
                  for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    Notification n =
                        notifications.alert(
                            Topics.ALERTS
                                .valueSerde()
                                .deserializer()
                                .deserialize(r.topic(), r.value()));
                    Delivery d = sender.send(n);
                    if (d.kind() != Delivery.Kind.DELIVERED) {
                      throw new IllegalStateException(d.detail());
                    }
                  }
                  c.commitAsync();
                }
              }
            },
            "bench-plain-consumer");
    t.start();
    return t;
  }
}
