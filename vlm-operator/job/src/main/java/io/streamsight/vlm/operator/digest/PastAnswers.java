package io.streamsight.vlm.operator.digest;

import io.streamsight.schemas.avro.Answer;
import io.streamsight.schemas.avro.AnswerStatus;
import io.streamsight.schemas.avro.InferenceTimings;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ImageBudget;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.operator.types.QueryIn;
import io.streamsight.vlm.timeline.Narrative;
import io.streamsight.vlm.timeline.TimelineEvent;
import io.streamsight.vlm.timeline.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Questions about the past, without Flink: the text-only request (the events in the look back with
 * their times, then the question) and the {@link Answer} it gives.
 *
 * <p>The answer's text is the model's answer, then the timeline it was given ("Timeline:
 * 00:00–00:08 red; ..."), so a reader sees what it rests on. A VLM's language model answers from
 * the timeline as a small chat model does; the colour fixture model names the colours of images
 * only, so with no image it answers {@code No}, and the timeline after it (its window descriptions:
 * the scenes' colours in order) is the useful part. Keyframes: one reference per event used; window
 * start/end: the span the events cover.
 *
 * <ul>
 *   <li>{@code ANSWERED}: from the events; or, when none fall inside the look back, "Nothing was
 *       recorded for camera X in the last 10 min" (no model call);
 *   <li>{@code EXPIRED}: the deadline passed before the model was asked;
 *   <li>{@code ERROR}: inference failed or timed out, or the operator runs without digests (the
 *       timeline comes from the summaries the digest stage sees).
 * </ul>
 */
public final class PastAnswers {
  private PastAnswers() {}

  /** The prompt: the events (times from the start of the look back), then the question. */
  public static String prompt(PastQuestion p) {
    QueryIn q = p.query();
    StringBuilder sb =
        new StringBuilder("Here is a timeline of what camera ")
            .append(q.cameraId())
            .append(" showed in the last ")
            .append(span(q.lookbackMicros()))
            .append(" (times from the start of that span):\n");
    int n = Math.min(p.events().length, Narrative.MAX_EVENTS_IN_PROMPT);
    for (int i = 0; i < n; i++) {
      sb.append(line(p.events()[i], p.fromMicros())).append('\n');
    }
    if (p.events().length > n) {
      sb.append("(").append(p.events().length - n).append(" more events)\n");
    }
    return sb.append("Answer this question about it in one or two sentences: ")
        .append(q.question())
        .toString();
  }

  /** The text-only request; null when no event is in the look back (nothing to ask about). */
  public static VlmRequest request(PastQuestion p, int maxTokens) {
    if (p.events().length == 0) {
      return null;
    }
    return new VlmRequest(
        Task.DESCRIBE,
        List.of(),
        prompt(p),
        GenerationOptions.greedy(maxTokens, ImageBudget.GLOBAL_ONLY));
  }

  /** No event in the look back: said plainly, without asking the model. */
  public static Answer nothingRecorded(PastQuestion p, long answeredMicros) {
    QueryIn q = p.query();
    return base(q, answeredMicros)
        .setStatus(AnswerStatus.ANSWERED)
        .setText(
            "Nothing was recorded for camera '"
                + q.cameraId()
                + "' in the last "
                + span(q.lookbackMicros())
                + ".")
        .build();
  }

  /** The model's answer (or its failure: {@code error} non-null) over the events. */
  public static Answer answered(
      PastQuestion p,
      String modelText,
      String error,
      String modelId,
      InferenceTimings timings,
      long answeredMicros) {
    Answer.Builder a = withEvents(p, answeredMicros).setModelId(modelId).setTimings(timings);
    String timeline = "\nTimeline: " + timeline(p);
    if (error != null) {
      return a.setStatus(AnswerStatus.ERROR)
          .setText("Inference failed: " + error + timeline)
          .build();
    }
    String text = modelText == null || modelText.isBlank() ? "(no answer)" : modelText.strip();
    return a.setStatus(AnswerStatus.ANSWERED).setText(text + timeline).build();
  }

  /** The deadline passed before the model was asked. */
  public static Answer expired(PastQuestion p, long answeredMicros) {
    return withEvents(p, answeredMicros)
        .setStatus(AnswerStatus.EXPIRED)
        .setText("The question's deadline passed before it was answered.")
        .build();
  }

  /** The operator runs without digests: questions about the past cannot be answered. */
  public static Answer digestsOff(QueryIn q, long answeredMicros) {
    return base(q, answeredMicros)
        .setStatus(AnswerStatus.ERROR)
        .setText(
            "Questions about the past are answered from the camera's summarised timeline, which"
                + " needs digests; this operator runs with digests.enabled: false.")
        .build();
  }

  private static Answer.Builder base(QueryIn q, long answeredMicros) {
    return Answer.newBuilder()
        .setQueryId(q.queryId())
        .setCameraId(q.cameraId())
        .setQuestion(q.question())
        .setAskedMicros(q.createdMicros())
        .setAnsweredMicros(answeredMicros);
  }

  private static Answer.Builder withEvents(PastQuestion p, long answeredMicros) {
    Answer.Builder a = base(p.query(), answeredMicros);
    TimelineEvent[] ev = p.events();
    if (ev.length == 0) {
      return a;
    }
    List<KeyframeRef> refs = new ArrayList<>();
    for (TimelineEvent e : ev) {
      KeyframeRef r = e.keyframe() == null ? null : KeyframeMarks.toRef(e.keyframe());
      if (r != null) {
        refs.add(r);
      }
    }
    a.setWindowStartMicros(ev[0].startMicros())
        .setWindowEndMicros(ev[ev.length - 1].endMicros())
        .setKeyframes(refs);
    refs.stream()
        .mapToLong(KeyframeRef::getCaptureTimeMicros)
        .max()
        .ifPresent(newest -> a.setFrameAgeMicros(p.query().createdMicros() - newest));
    return a;
  }

  /** "00:00–00:04 red; 00:04–00:08 yellow" (times from the start of the look back). */
  static String timeline(PastQuestion p) {
    List<String> lines = new ArrayList<>();
    for (TimelineEvent e : p.events()) {
      lines.add(line(e, p.fromMicros()));
    }
    return String.join("; ", lines);
  }

  private static String line(TimelineEvent e, long originMicros) {
    return Timestamps.range(e.startMicros(), e.endMicros(), originMicros) + " " + e.text();
  }

  /** "10 min", "2 h", "45 s". */
  static String span(long micros) {
    long s = micros / 1_000_000;
    if (s >= 3600 && s % 3600 == 0) {
      return s / 3600 + " h";
    }
    if (s >= 60 && s % 60 == 0) {
      return s / 60 + " min";
    }
    return String.format(Locale.ROOT, "%.0f s", micros / 1e6);
  }
}
