package io.streamsight.testkit.vlm;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small ONNX graph writer over the protobuf classes (names are generated, ops by type). */
final class OnnxBuilder {
  static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  static final int INT64 = TensorProto.DataType.INT64_VALUE;
  static final int BOOL = TensorProto.DataType.BOOL_VALUE;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private int next;
  private OutputStream data;
  private String dataName;
  private long dataOffset;

  /**
   * Large weights go to an external data file next to the model (as published exports do, and
   * because one protobuf must stay under 2 GB).
   */
  void externalData(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    data = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    dataName = file.getFileName().toString();
  }

  /** A random float32 initializer, uniform in [-scale, scale], streamed to the external data. */
  String random(java.util.SplittableRandom rnd, float scale, long... dims) throws IOException {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    if (data == null || n < 1024) {
      float[] v = new float[(int) n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
      }
      return floats(v, dims);
    }
    String name = "w_" + next++;
    byte[] buf = new byte[4 * 4096];
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < n; ) {
      bb.clear();
      int k = 0;
      for (; k < 4096 && i < n; k++, i++) {
        bb.putFloat((float) ((rnd.nextDouble() * 2 - 1) * scale));
      }
      data.write(buf, 0, k * 4);
    }
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(FLOAT)
            .setDataLocation(TensorProto.DataLocation.EXTERNAL);
    for (long d : dims) {
      t.addDims(d);
    }
    t.addExternalData(entry("location", dataName));
    t.addExternalData(entry("offset", Long.toString(dataOffset)));
    t.addExternalData(entry("length", Long.toString(n * 4)));
    dataOffset += n * 4;
    graph.addInitializer(t);
    return name;
  }

  private static ai.onnx.proto.OnnxMl.StringStringEntryProto entry(String k, String v) {
    return ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
  }

  OnnxBuilder(String name) {
    graph.setName(name);
  }

  /** Adds a node with one output and returns that output's name. */
  String op(String type, Object[] attrs, String... inputs) {
    String out = type.toLowerCase() + "_" + next++;
    opTo(out, type, attrs, inputs);
    return out;
  }

  String op(String type, String... inputs) {
    return op(type, new Object[0], inputs);
  }

  /** Adds a node writing to a chosen name (graph outputs). */
  void opTo(String out, String type, Object[] attrs, String... inputs) {
    NodeProto.Builder n =
        NodeProto.newBuilder().setOpType(type).setName(out + "_node").addOutput(out);
    for (String i : inputs) {
      n.addInput(i);
    }
    for (int k = 0; k < attrs.length; k += 2) {
      n.addAttribute(attr((String) attrs[k], attrs[k + 1]));
    }
    graph.addNode(n);
  }

  private static AttributeProto attr(String name, Object v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (v instanceof Integer i) {
      a.setType(AttributeProto.AttributeType.INT).setI(i);
    } else if (v instanceof Long l) {
      a.setType(AttributeProto.AttributeType.INT).setI(l);
    } else if (v instanceof Float f) {
      a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
    } else if (v instanceof long[] ls) {
      a.setType(AttributeProto.AttributeType.INTS);
      for (long l : ls) {
        a.addInts(l);
      }
    } else if (v instanceof TensorProto t) {
      a.setType(AttributeProto.AttributeType.TENSOR).setT(t);
    } else {
      throw new IllegalArgumentException("attribute type " + v.getClass());
    }
    return a.build();
  }

  static Object[] attrs(Object... kv) {
    return kv;
  }

  String floats(float[] data, long... dims) {
    String name = "w_" + next++;
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
    for (long d : dims) {
      t.addDims(d);
    }
    for (float f : data) {
      t.addFloatData(f);
    }
    graph.addInitializer(t);
    return name;
  }

  String scalar(float v) {
    return floats(new float[] {v});
  }

  String longs(long[] data, long... dims) {
    String name = "c_" + next++;
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(INT64);
    for (long d : dims) {
      t.addDims(d);
    }
    for (long l : data) {
      t.addInt64Data(l);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A 1-D int64 constant. */
  String ints(long... data) {
    return longs(data, data.length);
  }

  void input(String name, int type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
  }

  void output(String name, int type, Object... dims) {
    graph.addOutput(valueInfo(name, type, dims));
  }

  private static ValueInfoProto valueInfo(String name, int type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      if (d instanceof String s) {
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
      } else {
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
      }
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape)))
        .build();
  }

  void write(Path file) throws IOException {
    if (data != null) {
      data.close();
    }
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName("streamsight-testkit")
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
            .setGraph(graph)
            .build();
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      model.writeTo(out);
    }
  }
}
