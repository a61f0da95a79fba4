package io.streamsight.archive.index;

import io.streamsight.archive.index.ArchiveDoc.Kind;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How an {@link ArchiveDoc} maps onto Lucene fields, both ways. Keyword fields are indexed for
 * exact filters (camera glob, kind, id); window start is a point (time-range filters) and a doc
 * value (oldest-first deletion); the vector is an HNSW field compared by dot product (the vectors
 * are unit length, so that is the cosine).
 */
public final class DocFields {
  public static final String ID = "id";
  public static final String KIND = "kind";
  public static final String CAMERA = "camera";
  public static final String START = "start";
  public static final String END = "end";
  public static final String TEXT = "text";
  public static final String ALERT_ID = "alertId";
  public static final String RULE_ID = "ruleId";
  public static final String SEVERITY = "severity";
  public static final String THUMBS = "thumbs";
  public static final String THUMB_BYTES = "thumbBytes";
  public static final String SOURCE = "source";
  public static final String EVENT = "event";
  public static final String VECTOR = "vector";

  private DocFields() {}

  public static Document toDocument(ArchiveDoc d, float[] vector) {
    Document doc = new Document();
    doc.add(new StringField(ID, d.id(), Field.Store.YES));
    doc.add(new StringField(KIND, d.kind().label(), Field.Store.YES));
    doc.add(new StringField(CAMERA, d.cameraId(), Field.Store.YES));
    doc.add(new LongPoint(START, d.windowStartMicros()));
    doc.add(new StoredField(START, d.windowStartMicros()));
    doc.add(new NumericDocValuesField(START, d.windowStartMicros()));
    doc.add(new LongPoint(END, d.windowEndMicros()));
    doc.add(new StoredField(END, d.windowEndMicros()));
    doc.add(new TextField(TEXT, d.text(), Field.Store.YES));
    storeIfSet(doc, ALERT_ID, d.alertId());
    if (d.ruleId() != null) {
      doc.add(new StringField(RULE_ID, d.ruleId(), Field.Store.YES));
    }
    storeIfSet(doc, SEVERITY, d.severity());
    if (!d.thumbnails().isEmpty()) {
      doc.add(new StoredField(THUMBS, String.join(",", d.thumbnails())));
    }
    doc.add(new NumericDocValuesField(THUMB_BYTES, d.thumbnailBytes()));
    doc.add(new StoredField(THUMB_BYTES, d.thumbnailBytes()));
    storeIfSet(doc, SOURCE, d.source());
    storeIfSet(doc, EVENT, d.event());
    doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }

  public static ArchiveDoc fromDocument(Document doc) {
    String thumbs = doc.get(THUMBS);
    List<String> ids = thumbs == null ? List.of() : Arrays.asList(thumbs.split(","));
    return new ArchiveDoc(
        doc.get(ID),
        Kind.parse(doc.get(KIND)),
        doc.get(CAMERA),
        doc.getField(START).numericValue().longValue(),
        doc.getField(END).numericValue().longValue(),
        doc.get(TEXT),
        doc.get(ALERT_ID),
        doc.get(RULE_ID),
        doc.get(SEVERITY),
        ids,
        doc.getField(THUMB_BYTES) == null
            ? 0
            : doc.getField(THUMB_BYTES).numericValue().longValue(),
        doc.get(SOURCE),
        doc.get(EVENT));
  }

  private static void storeIfSet(Document doc, String name, String value) {
    if (value != null) {
      doc.add(new StoredField(name, value));
    }
  }
}
