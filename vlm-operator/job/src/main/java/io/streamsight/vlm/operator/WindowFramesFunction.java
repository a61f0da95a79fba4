package io.streamsight.vlm.operator;

import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.WindowFrames;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Closes a camera window: keeps at most K frames (see {@link FrameSelector}). */
public final class WindowFramesFunction
    extends ProcessWindowFunction<FrameRef, WindowFrames, String, TimeWindow> {
  private static final long serialVersionUID = 1L;
  private final int maxFrames;

  public WindowFramesFunction(int maxFrames) {
    this.maxFrames = maxFrames;
  }

  @Override
  public void process(
      String camera, Context ctx, Iterable<FrameRef> elements, Collector<WindowFrames> out) {
    List<FrameRef> all = new ArrayList<>();
    elements.forEach(all::add);
    TimeWindow w = ctx.window();
    long start = w.getStart() * 1000;
    long end = w.getEnd() * 1000;
    List<FrameRef> kept = FrameSelector.select(all, maxFrames, end - start);
    out.collect(new WindowFrames(camera, start, end, kept.toArray(FrameRef[]::new)));
  }
}
