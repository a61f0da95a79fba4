package io.streamsight.archive.consume;

import io.streamsight.archive.index.ArchiveDoc;
import io.streamsight.archive.index.ArchiveDoc.Kind;
import io.streamsight.schemas.avro.Alert;
import io.streamsight.schemas.avro.KeyframeRef;
import io.streamsight.schemas.avro.Summary;
import io.streamsight.schemas.codec.AvroCodec;
import io.streamsight.schemas.records.AlertEvents;
import io.streamsight.schemas.topics.Topics;
import io.streamsight.schemas.validation.CameraIds;
import io.streamsight.schemas.validation.InvalidRecordException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Summary and alert records to archive documents. Throws {@link
 * io.streamsight.schemas.codec.RecordDecodeException} or {@link InvalidRecordException} for a
 * record that must be dead-lettered; never returns a half-valid document.
 */
public final class RecordMapper {
  /** Longer texts are refused: no caption is this long, and stored text is paid for on disk. */
  static final int MAX_TEXT = 16_384;

  private final int maxEvidence;

  public RecordMapper(int maxEvidence) {
    this.maxEvidence = maxEvidence;
  }

  public Pending map(ConsumerRecord<byte[], byte[]> r) {
    String source = r.topic() + "/" + r.partition() + "/" + r.offset();
    if (r.topic().equals(Topics.SUMMARIES.name())) {
      Summary s =
          AvroCodec.of(Summary.class).decode(r.topic(), r.partition(), r.offset(), r.value());
      check(
          s.getCameraId().toString(),
          s.getWindowStartMicros(),
          s.getWindowEndMicros(),
          s.getText());
      String camera = s.getCameraId().toString();
      ArchiveDoc d =
          new ArchiveDoc(
              ArchiveDoc.summaryId(camera, s.getWindowStartMicros()),
              Kind.SUMMARY,
              camera,
              s.getWindowStartMicros(),
              s.getWindowEndMicros(),
              s.getText().toString(),
              null,
              null,
              null,
              List.of(),
              0,
              source);
      return new Pending(d, representative(s.getKeyframes()));
    }
    if (r.topic().equals(Topics.ALERTS.name())) {
      Alert a = AvroCodec.of(Alert.class).decode(r.topic(), r.partition(), r.offset(), r.value());
      String camera = a.getCameraId().toString();
      check(camera, a.getWindowStartMicros(), a.getWindowEndMicros(), a.getQuestion());
      if (a.getAlertId().length() == 0 || a.getAlertId().length() > 512) {
        throw new InvalidRecordException("alertId", "must be 1 to 512 characters");
      }
      // One document per event: every record of the event replaces it (same id) with what is
      // known by then; the summary text, once the event has one, is what a search finds it by.
      String text =
          a.getSummaryText() == null || a.getSummaryText().isBlank()
              ? a.getQuestion().toString()
              : a.getQuestion() + " " + a.getSummaryText();
      check(camera, a.getWindowStartMicros(), a.getWindowEndMicros(), text);
      long end =
          a.getEventEndMicros() == null
              ? a.getWindowEndMicros()
              : Math.max(a.getWindowEndMicros(), a.getEventEndMicros());
      ArchiveDoc d =
          new ArchiveDoc(
              ArchiveDoc.alertDocId(a.getAlertId().toString()),
              Kind.ALERT,
              camera,
              a.getWindowStartMicros(),
              end,
              text,
              a.getAlertId().toString(),
              a.getRuleId().toString(),
              a.getSeverity().name(),
              List.of(),
              0,
              source,
              AlertEvents.describe(a));
      List<KeyframeRef> ev = a.getEvidence();
      return new Pending(d, ev.subList(0, Math.min(ev.size(), maxEvidence)));
    }
    throw new IllegalArgumentException("the archive does not read topic " + r.topic());
  }

  private static void check(String camera, long start, long end, CharSequence text) {
    String p = CameraIds.problem(camera);
    if (p != null) {
      throw new InvalidRecordException("cameraId", p);
    }
    if (end < start) {
      throw new InvalidRecordException(
          "windowEndMicros", "window ends (" + end + ") before it starts (" + start + ")");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidRecordException(
          "text", text.length() + " characters (at most " + MAX_TEXT + ")");
    }
  }

  /** The keyframe in the middle of the window stands for a summary. */
  private static List<KeyframeRef> representative(List<KeyframeRef> refs) {
    if (refs.isEmpty()) {
      return List.of();
    }
    List<KeyframeRef> sorted = new ArrayList<>(refs);
    sorted.sort(Comparator.comparingLong(KeyframeRef::getCaptureTimeMicros));
    return List.of(sorted.get(sorted.size() / 2));
  }
}
