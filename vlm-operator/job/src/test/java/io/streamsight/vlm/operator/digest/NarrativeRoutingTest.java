package io.streamsight.vlm.operator.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamsight.schemas.avro.Digest;
import io.streamsight.schemas.avro.DigestEvent;
import io.streamsight.vlm.operator.config.CameraOverride;
import io.streamsight.vlm.operator.config.ModelDeclaration;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.TaskModels;
import io.streamsight.vlm.operator.inference.Models;
import io.streamsight.vlm.operator.inference.ScriptedModelProvider;
import io.streamsight.vlm.operator.types.AvroRecordSerializer;
import io.streamsight.vlm.remote.RemoteModelConfig;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Digest narratives come from the models named for narratives on the digest's camera; a model that
 * cannot take the request leaves the digest without a narrative, never holds it back or fails.
 */
@Timeout(60)
class NarrativeRoutingTest {
  private static Digest digest(String camera) {
    return Digest.newBuilder()
        .setCameraId(camera)
        .setPeriodStartMicros(0)
        .setPeriodEndMicros(300_000_000)
        .setEvents(
            List.of(
                DigestEvent.newBuilder()
                    .setStartMicros(0)
                    .setEndMicros(10_000_000)
                    .setText("a van parks")
                    .setContinued(false)
                    .build()))
        .setWindows(1)
        .setAlerts(0)
        .build();
  }

  @Test
  void eachCameraGetsItsNarrativeFromItsOwnModelOrNoneWhenItIsDown() throws Exception {
    String s = "-" + System.nanoTime();
    Map<String, ModelDeclaration> declared =
        Map.of(
            "remote", ModelDeclaration.of(RemoteModelConfig.of("http://127.0.0.1:9/v1", "r")),
            "local", ModelDeclaration.of(RemoteModelConfig.of("http://127.0.0.1:9/v1", "l")));
    OperatorConfig config =
        OperatorConfig.defaults()
            .withModels(declared, new TaskModels(null, null, null, null, List.of("remote")))
            .withCameras(
                List.of(
                    new CameraOverride(
                        "lobby-*",
                        null,
                        null,
                        null,
                        null,
                        new TaskModels(null, null, null, null, List.of("local")))));
    Models models =
        Models.named(
            Map.of(
                "remote", ScriptedModelProvider.unavailable("remote" + s),
                "local", ScriptedModelProvider.scoring("local" + s, 0, "A van parked.")));
    var h =
        new OneInputStreamOperatorTestHarness<Digest, Digest>(
            new AsyncWaitOperatorFactory<>(
                new NarrativeAsyncFunction(models, config), 30_000, 2, OutputMode.ORDERED),
            new AvroRecordSerializer<>(Digest.class));
    h.setup(new AvroRecordSerializer<>(Digest.class)); // the harness must not guess Avro types
    h.open();
    h.processElement(digest("lobby-1"), 0);
    h.processElement(digest("yard"), 0);
    h.endInput();
    List<Digest> out = h.extractOutputValues();
    h.close();

    assertEquals("A van parked.", out.get(0).getNarrative());
    assertEquals("local" + s, out.get(0).getModelId());
    assertNull(out.get(1).getNarrative(), "its model is down: the digest goes out without one");
    assertEquals(1, out.get(1).getEvents().size());
  }
}
