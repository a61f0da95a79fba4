package io.streamsight.deploy.cli;

import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.Feedback;
import io.streamsight.schemas.avro.FeedbackVerdict;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.topics.Topics;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamsight alerts feedback}: operator verdicts on alert events. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "Review alert events.",
    subcommands = {AlertsCommand.FeedbackCmd.class})
public final class AlertsCommand {

  @Command(
      name = "feedback",
      mixinStandardHelpOptions = true,
      description = {
        "Record whether an alert event was right (--correct) or a false alert (--false) on the"
            + " compacted topic vlm.feedback (key = event id; a later verdict replaces an earlier"
            + " one). The event's rule, camera and p(yes) are looked up on vlm.alerts; an event no"
            + " longer there is still recorded, with an empty rule (a warning says so).",
        "The figures are in `rules list --stats`."
      })
  static final class FeedbackCmd implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
    String bootstrap;

    @Parameters(index = "0", paramLabel = "EVENT_ID", description = "The alert event id.")
    String eventId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Verdict verdict;

    static final class Verdict {
      @Option(names = "--correct", required = true, description = "The event really happened.")
      boolean correct;

      @Option(names = "--false", required = true, description = "A false alert.")
      boolean falseAlert;
    }

    @Option(names = "--note", description = "Free text kept with the verdict.")
    String note;

    @Option(
        names = "--author",
        description = "Who gives the verdict (default: the user name).",
        defaultValue = "${sys:user.name}")
    String author;

    @Option(
        names = "--timeout",
        defaultValue = "60s",
        description = "Deadline to find the event on vlm.alerts (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      Alert[] found = new Alert[1];
      double[] peak = {Double.NaN};
      TopicSnapshot.read(
          bootstrap,
          Topics.ALERTS,
          Alert.class,
          timeout,
          err,
          (k, a) -> {
            if (a != null && eventId.equals(a.getAlertId())) {
              found[0] = found[0] == null ? a : found[0];
              double p = a.getPeakPYes() != null ? a.getPeakPYes() : a.getPYes();
              peak[0] = Double.isNaN(peak[0]) ? p : Math.max(peak[0], p);
            }
          });
      if (found[0] == null) {
        err.println(
            "warning: event "
                + eventId
                + " is not on "
                + Topics.ALERTS.name()
                + " (wrong id, or past retention): recorded without rule or camera");
      }
      Feedback f =
          Feedback.newBuilder()
              .setEventId(eventId)
              .setRuleId(found[0] == null ? "" : found[0].getRuleId())
              .setCameraId(found[0] == null ? "" : found[0].getCameraId())
              .setVerdict(verdict.correct ? FeedbackVerdict.CORRECT : FeedbackVerdict.FALSE)
              .setNote(note)
              .setPYes(Double.isNaN(peak[0]) ? null : peak[0])
              .setCreatedMicros(System.currentTimeMillis() * 1000)
              .setAuthor(author == null || author.isBlank() ? null : author)
              .build();
      try (var p = RulesCommand.producer(bootstrap)) {
        p.send(
                new ProducerRecord<>(
                    Topics.FEEDBACK.name(),
                    RulesCommand.utf8(eventId),
                    AvroCodec.of(Feedback.class).encode(f)))
            .get();
      }
      out.println(
          "feedback "
              + f.getVerdict().name().toLowerCase(java.util.Locale.ROOT)
              + " on "
              + eventId
              + " stored");
      return 0;
    }
  }
}
