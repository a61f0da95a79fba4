package io.streamsight.vlm.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/** Tensor creation and reading for float32 and float16 models. */
public final class Tensors {
  private Tensors() {}

  public static OnnxTensor floats(OrtEnvironment env, float[] data, long[] shape, OnnxJavaType type)
      throws OrtException {
    if (type == OnnxJavaType.FLOAT16) {
      ShortBuffer b =
          ByteBuffer.allocateDirect(data.length * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
      for (float f : data) {
        b.put(Fp16Conversions.floatToFp16(f));
      }
      b.rewind();
      return OnnxTensor.createTensor(env, b, shape, OnnxJavaType.FLOAT16);
    }
    FloatBuffer b =
        ByteBuffer.allocateDirect(data.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    b.put(data).rewind();
    return OnnxTensor.createTensor(env, b, shape);
  }

  public static OnnxTensor longs(OrtEnvironment env, long[] data, long[] shape)
      throws OrtException {
    LongBuffer b =
        ByteBuffer.allocateDirect(data.length * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
    b.put(data).rewind();
    return OnnxTensor.createTensor(env, b, shape);
  }

  /** A float32 or float16 tensor as float[] (one copy). */
  public static float[] toFloats(OnnxTensor t) {
    OnnxJavaType type = t.getInfo().type;
    if (type == OnnxJavaType.FLOAT16) {
      ShortBuffer s = t.getShortBuffer();
      float[] out = new float[s.remaining()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Fp16Conversions.fp16ToFloat(s.get(i));
      }
      return out;
    }
    if (type != OnnxJavaType.FLOAT) {
      throw new IllegalStateException("expected a float tensor, got " + type);
    }
    FloatBuffer f = t.getFloatBuffer();
    float[] out = new float[f.remaining()];
    f.get(out);
    return out;
  }
}
