package io.streamsight.sinks.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KafkaSinkSettingsTest {
  @Test
  void theDefaultTimeoutCoversTheDefaultCheckpointIntervalWithRoomToSpare() {
    KafkaSinkSettings s = KafkaSinkSettings.forJob("127.0.0.1:9092", "job", Duration.ofSeconds(10));
    assertEquals(Duration.ofMinutes(5), s.transactionTimeout());
    // 5 min allows intervals up to 2 min: 2 x 2 min + 1 min restart allowance.
    KafkaSinkSettings.forJob("127.0.0.1:9092", "job", Duration.ofMinutes(2));
  }

  @Test
  void aCheckpointIntervalTheTransactionsMightNotOutliveFailsNamingBothValues() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaSinkSettings.forJob("127.0.0.1:9092", "job", Duration.ofSeconds(121)));
    assertTrue(e.getMessage().contains("PT5M"), e.getMessage());
    assertTrue(e.getMessage().contains("PT2M1S"), e.getMessage());
    assertTrue(e.getMessage().contains("checkpoint.interval"), e.getMessage());
  }

  @Test
  void atLeastOnceSinksHaveNoTransactionsToCheck() {
    KafkaSinkSettings.atLeastOnce("127.0.0.1:9092").requireTimeoutCovers(Duration.ofHours(1));
  }

  @Test
  void thePrefixIsTheJobNameSoEachJobHasItsOwnAndARestartFindsItsOwn() {
    String a =
        KafkaSinkSettings.forJob("b:1", "cam-east", Duration.ofSeconds(10)).transactionalIdPrefix();
    String b =
        KafkaSinkSettings.forJob("b:1", "cam-west", Duration.ofSeconds(10)).transactionalIdPrefix();
    assertNotEquals(a, b);
    assertEquals(
        a,
        KafkaSinkSettings.forJob("b:1", "cam-east", Duration.ofSeconds(10))
            .transactionalIdPrefix());
  }

  @Test
  void aJobNameThatCannotBeAPrefixIsRejectedByName() {
    for (String bad : new String[] {"", " ", "two words", "x\ny"}) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> KafkaSinkSettings.forJob("b:1", bad, Duration.ofSeconds(10)));
      assertTrue(e.getMessage().contains("job name"), e.getMessage());
    }
  }
}
