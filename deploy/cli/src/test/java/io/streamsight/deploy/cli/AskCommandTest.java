package io.streamsight.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AskCommandTest {
  private static Answer answer(AnswerStatus status, Long frameAgeMicros) {
    return Answer.newBuilder()
        .setQueryId("q")
        .setCameraId("cam-1")
        .setQuestion("What colour?")
        .setStatus(status)
        .setText("yellow")
        .setFrameAgeMicros(frameAgeMicros)
        .build();
  }

  @Test
  void saysHowOldTheFramesWereWhenTheQuestionWasAsked() {
    assertEquals(
        "frames 0.3 s after the question",
        AskCommand.age(answer(AnswerStatus.ANSWERED, -300_000L)));
    assertEquals(
        "newest frame 0.5 s before the question",
        AskCommand.age(answer(AnswerStatus.ANSWERED, 500_000L)));
    assertEquals(
        "newest frame 42.0 s before the question (camera offline?)",
        AskCommand.age(answer(AnswerStatus.OFFLINE, 42_000_000L)));
    assertEquals("", AskCommand.age(answer(AnswerStatus.UNKNOWN_CAMERA, null)), "no frames");
  }
}
