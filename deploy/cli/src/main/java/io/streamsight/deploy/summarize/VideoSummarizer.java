package io.streamsight.deploy.summarize;

import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.source.SourceException;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.operator.types.FrameRef;
import io.streamsight.vlm.timeline.KeyframeMark;
import io.streamsight.vlm.timeline.Narrative;
import io.streamsight.vlm.timeline.TimelineEvent;
import io.streamsight.vlm.timeline.TimelineMerger;
import io.streamsight.vlm.timeline.Timestamps;
import io.streamsight.vlm.timeline.WindowSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Summarises a video file in-process, without a broker or Flink: ingest's decoding on a decoder
 * thread ({@link FrameFeed}, ahead of the model through a bounded queue), the sampler's keyframe
 * rules and the operator's windows and frame choice ({@link WindowAssembler}), batches of windows
 * through the VLM (ONNX Runtime uses every core inside each run), then the timeline merge and a
 * text-only narrative.
 *
 * <p>Windows with no keyframe had nothing new and cost no model call; they fold into the event they
 * continue. Windows in which no picture could be decoded are left out of the timeline (a gap) and
 * reported, as are damaged pictures and windows the model failed on.
 */
public final class VideoSummarizer {
  private final VisionLanguageModel model;
  private final String modelName;
  private final Supplier<TimelineMerger> merger;
  private final SummarizeSettings settings;
  private final SummarizeProgress progress;

  /**
   * @param merger called once, when the windows are all described (so an embedding model can load
   *     in the background meanwhile)
   */
  public VideoSummarizer(
      VisionLanguageModel model,
      String modelName,
      Supplier<TimelineMerger> merger,
      SummarizeSettings settings,
      java.io.PrintWriter progress) {
    this.model = model;
    this.modelName = modelName;
    this.merger = merger;
    this.settings = settings;
    this.progress = new SummarizeProgress(progress);
  }

  /**
   * Opens {@code video} and starts decoding it ahead of {@link #run}; fails here when it is not a
   * readable video (FFmpeg's reason in the message).
   */
  public static FrameFeed open(Path video, SummarizeSettings settings) throws SourceException {
    return FrameFeed.start(video, pipelineSettings(settings));
  }

  static PipelineSettings pipelineSettings(SummarizeSettings s) {
    return PipelineSettings.defaults().withFps(s.fps()).withMaxEdge(s.maxEdge());
  }

  /**
   * Summarises the video {@link #open} opened.
   *
   * @throws SummarizeException when not one picture could be decoded
   */
  public VideoSummary run(FrameFeed feed, Path video)
      throws SummarizeException, InterruptedException {
    long total = feed.lengthMicros();
    WindowAssembler windows =
        new WindowAssembler(settings.windowMicros(), settings.sampler(), settings.maxFrames());
    TreeMap<Integer, WindowSummary> summaries = new TreeMap<>();
    List<WindowAssembler.Window> pending = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> holes = new ArrayList<>();
    long interval = Math.round(1_000_000 / settings.fps());
    long lastFrame = Long.MIN_VALUE;
    long frames = 0;
    int windowCount = 0;
    FrameFeed.End end = null;
    while (end == null) {
      FrameFeed.Item item = feed.take();
      List<WindowAssembler.Window> closed;
      if (item instanceof FrameFeed.Decoded d) {
        frames++;
        long t = d.frame().getCaptureTimeMicros();
        if (lastFrame != Long.MIN_VALUE && t - lastFrame > hole(interval)) {
          holes.add(Timestamps.range(lastFrame, t, 0));
        }
        lastFrame = t;
        closed = windows.add(d.frame());
        progress.update(d.frame().getCaptureTimeMicros(), total, "summarising");
      } else {
        end = (FrameFeed.End) item;
        if (end.decoded() == 0 || frames == 0) {
          progress.end();
          throw new SummarizeException(
              "no picture could be decoded"
                  + (end.error() != null ? ": " + end.error() : " (empty or damaged video)"));
        }
        long videoEnd = duration(total, end);
        if (videoEnd - lastFrame > hole(interval) + interval) {
          holes.add(Timestamps.range(lastFrame, videoEnd, 0));
        }
        closed = windows.finish(videoEnd);
      }
      for (WindowAssembler.Window w : closed) {
        windowCount++;
        if (w.frames() == 0) {
          continue; // no picture: a gap in the timeline, reported below as a hole
        } else if (w.nothingNew()) {
          summaries.put(w.index(), WindowSummary.nothingNew(w.startMicros(), w.endMicros()));
        } else {
          pending.add(w);
        }
      }
      if (pending.size() >= settings.batch()
          || (item instanceof FrameFeed.End && !pending.isEmpty())) {
        describe(pending, summaries, skipped);
        pending.clear();
      }
    }
    progress.end();
    long durationMicros = duration(total, end);
    if (end.damaged() > 0) {
      skipped.add(end.damaged() + " damaged pictures or packets skipped");
    }
    holes.forEach(h -> skipped.add("no picture could be decoded in " + h));
    if (end.error() != null) {
      skipped.add("decoding stopped at " + Timestamps.clock(end.lastMicros()) + ": " + end.error());
    }
    int described = (int) summaries.values().stream().filter(s -> !s.isNothingNew()).count();
    List<TimelineEvent> timeline = merger.get().merge(new ArrayList<>(summaries.values()));
    String narrative = narrate(timeline, skipped);
    return new VideoSummary(
        video.toString(),
        durationMicros / 1e6,
        modelName,
        timeline,
        narrative,
        skipped,
        new VideoSummary.Counts(frames, windows.keyframes(), windowCount, described));
  }

  /** The container's duration, or (when it gives none) the last picture's time plus one frame. */
  private long duration(long containerMicros, FrameFeed.End end) {
    return containerMicros > 0
        ? containerMicros
        : end.lastMicros() + Math.round(1_000_000 / settings.fps());
  }

  /** One model run for a batch of windows, each with its selected keyframes. */
  private void describe(
      List<WindowAssembler.Window> batch,
      TreeMap<Integer, WindowSummary> out,
      List<String> skipped) {
    GenerationOptions options =
        GenerationOptions.greedy(settings.maxNewTokens(), ImageBudget.GLOBAL_ONLY);
    List<VlmRequest> requests = new ArrayList<>();
    for (WindowAssembler.Window w : batch) {
      requests.add(new VlmRequest(Task.DESCRIBE, w.images(), settings.instruction(), options));
    }
    List<VlmResult> results = model.run(requests);
    for (int i = 0; i < batch.size(); i++) {
      WindowAssembler.Window w = batch.get(i);
      VlmResult r = results.get(i);
      if (r.error() != null) {
        skipped.add(
            "window "
                + Timestamps.range(w.startMicros(), w.endMicros(), 0)
                + ": the model failed: "
                + r.error());
        continue;
      }
      FrameRef first = w.keyframes().get(0);
      out.put(
          w.index(),
          WindowSummary.described(
              w.startMicros(),
              w.endMicros(),
              r.text(),
              new KeyframeMark(first.captureMicros(), "")));
    }
  }

  private String narrate(List<TimelineEvent> timeline, List<String> skipped) {
    VlmRequest request = Narrative.request(timeline, 0, settings.narrativeTokens());
    if (request == null) {
      return "";
    }
    VlmResult r = model.run(List.of(request)).get(0);
    if (r.error() != null) {
      skipped.add("narrative: the model failed: " + r.error());
    }
    return Narrative.text(r);
  }

  /**
   * A stretch without sampled frames longer than this is a hole in the video (frames lost to
   * damage): sampling by timestamp keeps one frame per interval, give or take a source frame of
   * decode-skipping jitter.
   */
  private static long hole(long interval) {
    return interval * 5 / 2;
  }
}
