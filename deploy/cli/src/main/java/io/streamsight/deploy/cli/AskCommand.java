package io.streamsight.deploy.cli;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.json.AvroJson;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraIds;
import io.streamsight.schemas.validation.InvalidRecordException;
import io.streamsight.schemas.validation.RecordChecks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamsight ask}: a live question about what a camera shows now. Answers are written
 * at-least-once (at once, not at the next checkpoint), so the same query id may come twice after an
 * operator restart: this waits for its own id and takes the first, which dedupes.
 */
@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the running operator a question about what a camera shows now (a frame captured at"
          + " most ask.freshness before the question, else its newest frame), or with --last"
          + " about what it showed lately (answered from its summarised timeline).",
      "Prints the answer, then its status and how old its frames were when asked; exits 1 when"
          + " there is none (unknown camera, expired, error, timeout)."
    })
public final class AskCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Option(names = "--camera", required = true, description = "Camera id.")
  String camera;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      description = "Wait this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--last",
      description =
          "Ask about the past instead of now: what the camera showed in this long before the"
              + " question (e.g. 10m; at most 24h), answered from its summarised timeline"
              + " (needs digests).")
  Duration last;

  @Option(names = "--json", description = "Print the whole Answer as one JSON object.")
  boolean json;

  @Parameters(index = "0", paramLabel = "QUESTION")
  String question;

  @Override
  public Integer call() throws Exception {
    // The operator's checks (shared through schemas): a bad question is refused here, exit 2.
    try {
      CameraIds.check("--camera", camera);
      RecordChecks.question("QUESTION", question);
      if (last != null) {
        RecordChecks.lookbackMicros("--last", last.toNanos() / 1000);
      }
    } catch (InvalidRecordException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (LiveAsk ask =
        new LiveAsk(bootstrap, () -> System.currentTimeMillis() * 1000, e -> {}).prepare(timeout)) {
      // Stamped only now, with both clients ready: the frame age is against the real send.
      Query q =
          ask.send(
              Query.newBuilder()
                  .setCameraId(camera)
                  .setQuestion(question)
                  .setLookbackMicros(last == null ? null : last.toNanos() / 1000),
              timeout);
      Answer a = ask.await(q.getQueryId(), timeout);
      if (a != null) {
        return print(a);
      }
    }
    System.err.println("no answer within " + timeout + " (is the operator running?)");
    return 1;
  }

  /** Exit 0 when the model answered (fresh frames or, for an offline camera, its newest). */
  private int print(Answer a) {
    boolean answered =
        a.getStatus() == AnswerStatus.ANSWERED || a.getStatus() == AnswerStatus.OFFLINE;
    if (json) {
      System.out.println(AvroJson.toJsonLine(a));
    } else {
      System.out.println(a.getText());
      String age = age(a);
      (answered ? System.out : System.err)
          .println("(" + a.getStatus() + (age.isEmpty() ? "" : ", " + age) + ")");
    }
    return answered ? 0 : 1;
  }

  /**
   * How old the answer's frames were when the question was asked: "frames 0.3 s after the
   * question", "newest frame 42.0 s before the question (camera offline?)"; empty without frames.
   */
  static String age(Answer a) {
    Long age = a.getFrameAgeMicros();
    if (age == null) {
      return "";
    }
    String s = String.format(Locale.ROOT, "%.1f s", Math.abs(age) / 1e6);
    if (age <= 0) {
      return "frames " + s + " after the question";
    }
    return "newest frame "
        + s
        + " before the question"
        + (a.getStatus() == AnswerStatus.OFFLINE ? " (camera offline?)" : "");
  }

  /**
   * Publishes {@code q} on vlm.queries keyed by its id, as the operator reads it; waits for the
   * ack.
   */
  public static void publish(Producer<byte[], byte[]> producer, Query q) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.QUERIES.name(),
                q.getQueryId().getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(Query.class).encode(q)))
        .get();
  }
}
