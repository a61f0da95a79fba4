package io.streamsight.vlm.operator.types;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for our Avro specific records. Without it Flink would fall back to Kryo,
 * which neither knows Avro's schema-carrying arrays nor keeps state readable across schema changes;
 * this one writes the same single-object encoding as the topics (so old state resolves like old
 * messages do).
 */
public final class AvroTypeInfo<T extends SpecificRecord> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;

  private AvroTypeInfo(Class<T> type) {
    this.type = Objects.requireNonNull(type);
  }

  public static <T extends SpecificRecord> AvroTypeInfo<T> forClass(Class<T> type) {
    return new AvroTypeInfo<>(type);
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new AvroRecordSerializer<>(type);
  }

  @Override
  public String toString() {
    return "Avro<" + type.getSimpleName() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvroTypeInfo<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof AvroTypeInfo;
  }
}
