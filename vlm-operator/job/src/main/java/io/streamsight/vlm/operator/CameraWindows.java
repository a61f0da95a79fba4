package io.streamsight.vlm.operator;

import io.streamsight.vlm.operator.config.CameraSettings;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.metrics.CameraMetrics;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.operator.types.WindowFrames;
import io.streamsight.vlm.operator.util.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per camera: event time, windows (tumbling or sliding) and lateness, all in keyed state.
 *
 * <p>Why not Flink's event-time windows: Flink's watermarks are made at the source, per Kafka
 * partition, and the operator sees their minimum. Many cameras share a partition, so one camera
 * whose capture times run ahead (a wrong clock, a file replayed faster than real time) moves
 * everyone's watermark: every other camera's keyframes turn late and their windows close empty.
 * There is no per-key watermark in Flink, so each camera keeps its own clock here instead: its
 * newest capture time (the frontier) and its watermark, frontier minus the out-of-orderness bound.
 * A window closes when the camera's own watermark passes its end; a keyframe whose last window
 * already closed is late (dead-lettered by reference). One camera can only ever move its own time.
 *
 * <p>What moves a camera's time: its keyframes, and the sampler's progress records ({@link
 * FrameRef#isProgress}), which it sends at least once a second of capture time while frames flow
 * and, extrapolated on its wall clock, while a camera is quiet. So a static scene (keyframes 30 s
 * apart) and a stream that ended still get their windows closed within about a second of
 * out-of-orderness past their end, and every such decision is a record on {@code
 * cameras.keyframes}: a replay of the topic closes the same windows with the same keyframes, with
 * no processing-time decision here. Progress records never join a window and are never late.
 *
 * <p>Early firing: each keyframe also emits the window-so-far ({@code closed = false}) of every
 * open window it falls in, so rules are scored as the keyframe arrives instead of when the window
 * closes; the closed window follows once and gets the summary. Each progress record is passed on as
 * a tick ({@link WindowFrames#tick}), in order with the windows, so that alert events can end on a
 * static scene or an ended stream.
 *
 * <p>Three guards on the clock:
 *
 * <ul>
 *   <li>A capture time more than {@code maxAheadOfWallClock} ahead of this TaskManager's wall clock
 *       is refused (dead-lettered, counted): the frontier never runs into the future.
 *   <li>A capture time more than {@code maxBackwardsStep} behind the frontier is a clock step back
 *       (NTP step, restarted replay): the camera's open windows close as they are and its clock
 *       restarts from this keyframe. Without that, every keyframe would be late until the capture
 *       clock caught up with the old frontier, possibly hours. A re-summarised window keeps its
 *       deterministic alert ids, so consumers can dedupe.
 *   <li>Optional ({@code watermarks.idleness}, off by default): a camera that sends nothing for
 *       that much wall time has its time extrapolated at wall speed from its last record. Only for
 *       keyframe producers without progress records (an older sampler, keyframes published by
 *       hand). It is a processing-time decision: a replay that stalls longer than it (backpressure
 *       from a slow model) cuts windows differently from the live run, which is why it is off.
 * </ul>
 *
 * <p>State: the clock and the keyframes of open windows (few: windows close as time passes). Both
 * expire {@link StateTtl#AFTER_LAST_WRITE} after their last update, so a camera that went away
 * leaves nothing behind. The window keyframes are references (about 60 bytes each), not images:
 * inference reads the images from the TaskManager's cache or back from Kafka, so a checkpoint stays
 * small and short checkpoint intervals are cheap.
 */
public final class CameraWindows extends KeyedProcessFunction<String, FrameRef, WindowFrames> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CameraWindows.class);

  /**
   * One camera's event time. {@code timerMillis} is the pending processing-time timer (0 = none),
   * kept so a camera has at most one.
   */
  public record CameraClock(
      long frontierMillis, long watermarkMillis, long lastArrivalMillis, long timerMillis) {}

  private final OperatorConfig config;
  // The window grid of the camera being processed: set from its settings (window length may be
  // per camera, see OperatorConfig.cameras) at the start of each call; a function instance is only
  // ever called from its task's thread, so the window arithmetic below stays as it is.
  private long sizeMillis;
  private long slideMillis;
  private final int maxFrames;
  private final long outOfOrdernessMillis;
  private final long idleMillis;
  private final long aheadMillis;
  private final long stepMillis;
  private transient ValueState<CameraClock> clock;
  private transient ListState<FrameRef> pending;
  private transient Counter late;
  private transient Counter future;
  private transient Counter stepsBack;
  private transient RateLimitedLog warnings;
  private transient CameraMetrics cameras;

  public CameraWindows(OperatorConfig config) {
    var w = config.window();
    var t = config.watermarks();
    this.config = config;
    this.sizeMillis = w.size().toMillis();
    this.slideMillis = w.slide() == null ? sizeMillis : w.slide().toMillis();
    this.maxFrames = w.maxFrames();
    this.outOfOrdernessMillis = t.outOfOrderness().toMillis();
    this.idleMillis = t.idleness() == null ? 0 : t.idleness().toMillis();
    this.aheadMillis = t.maxAheadOfWallClock().toMillis();
    this.stepMillis = t.maxBackwardsStep().toMillis();
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<CameraClock> c =
        new ValueStateDescriptor<>("camera-clock", TypeInformation.of(CameraClock.class));
    c.enableTimeToLive(StateTtl.config());
    clock = getRuntimeContext().getState(c);
    ListStateDescriptor<FrameRef> p =
        new ListStateDescriptor<>("open-window-frames", TypeInformation.of(FrameRef.class));
    p.enableTimeToLive(StateTtl.config());
    pending = getRuntimeContext().getListState(p);
    var g = getRuntimeContext().getMetricGroup();
    late = g.counter("keyframesLate");
    future = g.counter("keyframesFromTheFuture");
    stepsBack = g.counter("clockStepsBack");
    cameras = new CameraMetrics(g);
    warnings = new RateLimitedLog(LOG, Duration.ofMinutes(1), 1024);
  }

  @Override
  public void processElement(FrameRef f, Context ctx, Collector<WindowFrames> out)
      throws Exception {
    String camera = ctx.getCurrentKey();
    useWindowsOf(camera);
    long now = ctx.timerService().currentProcessingTime();
    long ts = Math.floorDiv(f.captureMicros(), 1000);
    if (ts - now > aheadMillis) {
      future.inc();
      String why =
          "capture time "
              + f.captureMicros()
              + " us is "
              + Duration.ofMillis(ts - now)
              + " ahead of the operator's wall clock (at most "
              + Duration.ofMillis(aheadMillis)
              + " allowed): the camera's clock is wrong, or a file is replayed faster than real"
              + " time without --realtime";
      deadLetter(ctx, f, "FutureCaptureTime", why);
      return;
    }
    CameraClock c = clock.value();
    if (c != null && ts < c.frontierMillis - stepMillis) {
      stepsBack.inc();
      warnings.warn(
          "step:" + camera,
          "camera "
              + camera
              + ": capture time stepped back by "
              + Duration.ofMillis(c.frontierMillis - ts)
              + "; closing its open windows and restarting its event time");
      fire(camera, c.watermarkMillis, Long.MAX_VALUE, out);
      c = new CameraClock(ts, Long.MIN_VALUE, now, c.timerMillis);
    }
    if (!f.isProgress()) {
      if (c != null && lastWindowEnd(ts) <= c.watermarkMillis) {
        late.inc();
        String why =
            "capture time "
                + f.captureMicros()
                + " us is behind camera "
                + camera
                + "'s watermark ("
                + c.watermarkMillis * 1000
                + " us): its window was already summarised";
        deadLetter(ctx, f, "LateKeyframe", why);
        return;
      }
      pending.add(f);
    }
    // Fires only when Flink's final watermark arrives at the end of a bounded input (a replayed
    // file, a test): every open window closes then. One timer per camera (same timestamp).
    ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    long frontier = c == null ? ts : Math.max(c.frontierMillis, ts);
    long watermark = c == null ? Long.MIN_VALUE : c.watermarkMillis;
    long advanced = Math.max(watermark, frontier - outOfOrdernessMillis);
    // The first record of a camera (or after a step) cannot close a window: nothing is older.
    if (watermark != Long.MIN_VALUE && nextEndAfter(watermark) <= advanced) {
      fire(camera, watermark, advanced, out);
    }
    if (!f.isProgress()) {
      soFar(camera, ts, advanced, out);
    } else {
      out.collect(WindowFrames.tick(f)); // event time for open alert events (no window)
    }
    long timer = c == null ? 0 : c.timerMillis;
    if (timer == 0 && idleMillis > 0) {
      timer = now + idleMillis;
      ctx.timerService().registerProcessingTimeTimer(timer);
    }
    clock.update(new CameraClock(frontier, advanced, now, timer));
    // Wall clock minus the camera's event time (its watermark once it has one) as this record is
    // processed: how far behind real time the windows close (out-of-orderness included).
    long eventTime = advanced == Long.MIN_VALUE ? frontier : advanced;
    cameras
        .gauge(camera, "eventTimeLagSeconds")
        .set((System.currentTimeMillis() - eventTime) / 1e3);
  }

  /**
   * The timestamp of the end-of-input timer: only Flink's last watermark ({@code Long.MAX_VALUE},
   * sent when a bounded source finishes) passes it; sources emit no other watermarks.
   */
  private static final long END_OF_INPUT = Long.MAX_VALUE - 1;

  /**
   * Emits the window-so-far of every still open window containing a keyframe captured at {@code ts}
   * (oldest first), for early rule scoring.
   */
  private void soFar(String camera, long ts, long watermark, Collector<WindowFrames> out)
      throws Exception {
    List<FrameRef> all = new ArrayList<>();
    pending.get().forEach(all::add);
    List<Long> starts = new ArrayList<>();
    for (long start = lastWindowStart(ts); start > ts - sizeMillis; start -= slideMillis) {
      if (start + sizeMillis > watermark) {
        starts.add(0, start); // oldest first
      }
    }
    for (long start : starts) {
      List<FrameRef> in = new ArrayList<>();
      for (FrameRef f : all) {
        long t = Math.floorDiv(f.captureMicros(), 1000);
        if (t >= start && t < start + sizeMillis) {
          in.add(f);
        }
      }
      out.collect(window(camera, start, in, false));
    }
  }

  private WindowFrames window(String camera, long startMillis, List<FrameRef> in, boolean closed) {
    long start = startMillis * 1000;
    long end = start + sizeMillis * 1000;
    // A window so far keeps the keyframe that made it (rules score it, a question may wait for it).
    List<FrameRef> kept = FrameSelector.select(in, maxFrames, end - start, !closed);
    return new WindowFrames(camera, start, end, kept.toArray(FrameRef[]::new), closed);
  }

  /**
   * The optional idleness fallback: extrapolates a quiet camera's time at wall speed (see class
   * doc). Timers are only registered when {@code watermarks.idleness} is set.
   */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowFrames> out)
      throws Exception {
    useWindowsOf(ctx.getCurrentKey());
    CameraClock c = clock.value();
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      // End of a bounded input: nothing later can arrive, close everything still open.
      fire(
          ctx.getCurrentKey(), c == null ? Long.MIN_VALUE : c.watermarkMillis, Long.MAX_VALUE, out);
      return;
    }
    if (c == null || c.timerMillis != timestamp) {
      return; // expired, or a timer from before a restore that a newer one replaced
    }
    long now = ctx.timerService().currentProcessingTime();
    long quiet = now - c.lastArrivalMillis;
    long next;
    long watermark = c.watermarkMillis;
    if (quiet < idleMillis) {
      next = c.lastArrivalMillis + idleMillis; // keyframes came since: check again later
    } else {
      long extrapolated = c.frontierMillis + quiet - outOfOrdernessMillis;
      if (extrapolated > watermark) {
        fire(ctx.getCurrentKey(), watermark, extrapolated, out);
        watermark = extrapolated;
      }
      // While keyframes wait in open windows, wake when the extrapolated time reaches the next
      // window end; with none left, the next keyframe sets a timer again.
      next = pending.get().iterator().hasNext() ? now + (nextEndAfter(watermark) - watermark) : 0;
    }
    if (next != 0) {
      ctx.timerService().registerProcessingTimeTimer(next);
    }
    clock.update(new CameraClock(c.frontierMillis, watermark, c.lastArrivalMillis, next));
  }

  /**
   * Emits, in end order, every window with {@code from < end <= to} that holds keyframes, and keeps
   * only the keyframes that still belong to a window ending after {@code to}.
   */
  private void fire(String camera, long from, long to, Collector<WindowFrames> out)
      throws Exception {
    List<FrameRef> all = new ArrayList<>();
    pending.get().forEach(all::add);
    TreeMap<Long, List<FrameRef>> byStart = new TreeMap<>();
    List<FrameRef> keep = new ArrayList<>();
    for (FrameRef f : all) {
      long ts = Math.floorDiv(f.captureMicros(), 1000);
      long last = lastWindowStart(ts);
      for (long start = last; start > ts - sizeMillis; start -= slideMillis) {
        long end = start + sizeMillis;
        if (end > from && end <= to) {
          byStart.computeIfAbsent(start, s -> new ArrayList<>()).add(f);
        }
      }
      if (last + sizeMillis > to) {
        keep.add(f);
      }
    }
    for (Map.Entry<Long, List<FrameRef>> w : byStart.entrySet()) {
      out.collect(window(camera, w.getKey(), w.getValue(), true));
    }
    if (!byStart.isEmpty()) {
      cameras.counter(camera, "windowsClosed").inc(byStart.size());
    }
    pending.update(keep);
  }

  private void deadLetter(Context ctx, FrameRef f, String errorClass, String why) {
    cameras.counter(f.cameraId(), "deadLetters").inc();
    warnings.warn(errorClass + ":" + f.cameraId(), "camera " + f.cameraId() + ": " + why);
    ctx.output(RejectionSplitters.DEAD_LETTERS, RejectionSplitters.byReference(f, errorClass, why));
  }

  /** Sets the window grid to {@code camera}'s (its override's window length, else the default). */
  private void useWindowsOf(String camera) {
    CameraSettings s = config.forCamera(camera);
    sizeMillis = s.windowSize().toMillis();
    slideMillis = s.windowSlide().toMillis();
  }

  /** Start of the latest window containing {@code ts} (windows are aligned to the epoch). */
  private long lastWindowStart(long ts) {
    return ts - Math.floorMod(ts, slideMillis);
  }

  private long lastWindowEnd(long ts) {
    return lastWindowStart(ts) + sizeMillis;
  }

  /** The first window end strictly after {@code t} (window ends sit on the slide grid + size). */
  private long nextEndAfter(long t) {
    return t - Math.floorMod(t - sizeMillis, slideMillis) + slideMillis;
  }
}
