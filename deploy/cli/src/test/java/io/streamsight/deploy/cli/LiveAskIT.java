package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.schemas.avro.Query;
import io.streamsight.schemas.topics.TopicAdmin;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.testkit.Await;
import io.streamsight.testkit.kafka.CommittedRecords;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 28 #3: {@code ask} stamps its question when it is sent, after both clients are ready, so
 * the pipeline's latency and the answer's frame age are not inflated by the CLI's start-up.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class LiveAskIT {
  @Test
  void theQuestionIsStampedOnlyAfterBothClientsAreReady(KafkaBroker broker) throws Exception {
    new TopicAdmin(broker.admin()).createAll(Topics.all(), (short) 1, Map.of());
    List<String> events = new CopyOnWriteArrayList<>();
    AtomicLong stamped = new AtomicLong();
    Query sent;
    try (LiveAsk ask =
        new LiveAsk(
                broker.bootstrapServers(),
                () -> {
                  events.add("clock read");
                  stamped.set(System.currentTimeMillis() * 1000);
                  return stamped.get();
                },
                events::add)
            .prepare(Duration.ofSeconds(30))) {
      events.add("prepared");
      sent =
          ask.send(
              Query.newBuilder().setCameraId("cam-ask").setQuestion("What colour is it?"),
              Duration.ofSeconds(30));
      // No operator here: nobody answers, and await says so within its timeout.
      assertNull(ask.await(sent.getQueryId(), Duration.ofMillis(500)));
    }

    assertEquals(
        List.of("clock read"),
        events.subList(events.indexOf("prepared") + 1, events.size()),
        "the clock is read only after prepare: " + events);
    assertTrue(
        events.indexOf("producer ready") < events.indexOf("clock read")
            && events.indexOf("answers positioned") < events.indexOf("clock read"),
        events.toString());
    Query published =
        Await.until(
            "the question on vlm.queries",
            Duration.ofSeconds(30),
            () ->
                CommittedRecords.values(broker.bootstrapServers(), Topics.QUERIES).stream()
                    .filter(q -> q.getQueryId().equals(sent.getQueryId()))
                    .findFirst()
                    .orElse(null),
            q -> q != null);
    assertEquals(stamped.get(), published.getCreatedMicros(), "stamped with the clock's reading");
    assertEquals(
        stamped.get() + 30_000_000L, published.getDeadlineMicros(), "deadline from the stamp");
  }
}
