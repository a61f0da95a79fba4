package io.streamsight.vlm.operator;

import static io.streamsight.vlm.operator.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WindowFramesFunctionTest {

  private static KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> harness(
      int k) throws Exception {
    WindowOperatorBuilder<FrameRef, String, TimeWindow> b =
        new WindowOperatorBuilder<>(
            TumblingEventTimeWindows.of(Duration.ofSeconds(10)),
            EventTimeTrigger.create(),
            new ExecutionConfig(),
            TypeInformation.of(FrameRef.class),
            FrameRef::cameraId,
            Types.STRING);
    OneInputStreamOperator<FrameRef, WindowFrames> op = b.process(new WindowFramesFunction(k));
    var h = new KeyedOneInputStreamOperatorTestHarness<>(op, FrameRef::cameraId, Types.STRING);
    h.open();
    return h;
  }

  private static void add(
      KeyedOneInputStreamOperatorTestHarness<String, FrameRef, WindowFrames> h, FrameRef f)
      throws Exception {
    h.processElement(new StreamRecord<>(f, f.captureMicros() / 1000));
  }

  @Test
  void emitsOneWindowPerCameraWithAtMostKFramesWhenTheWatermarkPasses() throws Exception {
    try (var h = harness(3)) {
      for (int i = 0; i < 8; i++) {
        add(h, frame("cam-a", 1000L * i, i == 4 ? 1f : 0.1f));
      }
      add(h, frame("cam-b", 2000, 0.5f));
      add(h, frame("cam-a", 12_000, 0.5f)); // next window, stays open
      h.processWatermark(new Watermark(9_999));

      List<WindowFrames> out = h.extractOutputValues();
      assertEquals(2, out.size());
      WindowFrames a = out.stream().filter(w -> w.cameraId().equals("cam-a")).findFirst().get();
      assertEquals(0, a.windowStartMicros());
      assertEquals(10_000_000, a.windowEndMicros());
      assertEquals(3, a.frames().length);
      assertEquals(
          true,
          List.of(a.frames()).stream().anyMatch(f -> f.captureMicros() == 4_000_000),
          "the novel frame is kept");
      WindowFrames b = out.stream().filter(w -> w.cameraId().equals("cam-b")).findFirst().get();
      assertEquals(1, b.frames().length);
    }
  }

  @Test
  void keepsAWindowOpenUntilTheWatermarkReachesItsEnd() throws Exception {
    try (var h = harness(8)) {
      add(h, frame("cam-a", 3000, 0.5f));
      h.processWatermark(new Watermark(9_998));
      assertEquals(0, h.extractOutputValues().size());
      h.processWatermark(new Watermark(9_999));
      assertEquals(1, h.extractOutputValues().size());
    }
  }
}
