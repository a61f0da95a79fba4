package io.streamsight.vlm.operator.types;

import io.streamsight.schemas.codec.AvroCodec;
import java.io.IOException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Length-prefixed Avro single-object encoding of a specific record. See {@link AvroTypeInfo}. */
public final class AvroRecordSerializer<T extends SpecificRecord> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;
  private transient AvroCodec<T> codec;

  public AvroRecordSerializer(Class<T> type) {
    this.type = type;
  }

  private AvroCodec<T> codec() {
    if (codec == null) {
      codec = AvroCodec.of(type);
    }
    return codec;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    // The codec is thread-safe, but a fresh instance keeps duplicates independent as Flink expects.
    return new AvroRecordSerializer<>(type);
  }

  @Override
  public T createInstance() {
    return null;
  }

  @Override
  public T copy(T from) {
    return from == null ? null : SpecificData.get().deepCopy(from.getSchema(), from);
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    byte[] bytes = codec().encode(record);
    target.writeInt(bytes.length);
    target.write(bytes);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    byte[] bytes = new byte[source.readInt()];
    source.readFully(bytes);
    return codec().decode("flink-state", bytes);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    int n = source.readInt();
    target.writeInt(n);
    target.write(source, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvroRecordSerializer<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new Snapshot<>(type);
  }

  /** Stores the record class; the encoding names its schema, so any version can be read. */
  public static final class Snapshot<T extends SpecificRecord>
      implements TypeSerializerSnapshot<T> {
    private Class<T> type;

    public Snapshot() {}

    Snapshot(Class<T> type) {
      this.type = type;
    }

    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(type.getName());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int version, DataInputView in, ClassLoader cl) throws IOException {
      String name = in.readUTF();
      try {
        type = (Class<T>) Class.forName(name, false, cl);
      } catch (ClassNotFoundException e) {
        throw new IOException("Avro record class " + name + " of restored state not found", e);
      }
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      return new AvroRecordSerializer<>(type);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
        TypeSerializerSnapshot<T> old) {
      return old instanceof Snapshot<?> s && s.type.getName().equals(type.getName())
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
