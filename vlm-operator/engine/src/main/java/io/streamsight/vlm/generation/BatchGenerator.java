package io.streamsight.vlm.generation;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import io.streamsight.vlm.api.FinishReason;
import io.streamsight.vlm.api.GenerationOptions;
import io.streamsight.vlm.api.ScoreMethod;
import io.streamsight.vlm.api.Task;
import io.streamsight.vlm.api.Timings;
import io.streamsight.vlm.api.TokenLogprobs;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.runtime.ModelSessions;
import io.streamsight.vlm.runtime.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs one batch of prepared requests: vision encoder over all their tiles, token embedding, merge
 * of image features into the {@code <image>} slots, one prefill over left-padded rows (attention
 * mask and position ids skip the padding), then decode steps that feed each step's {@code present}
 * tensors straight back as the next {@code past_key_values} (no copy through Java).
 */
public final class BatchGenerator {
  private final ModelSessions s;
  private final OrtEnvironment env;
  private final long imageTokenId;
  private final Set<Long> eos;
  private final long padId;
  private final long yesId;
  private final long noId;
  private final int tokensPerTile;
  private final int visionChunk;
  private final Function<long[], String> detokenizer;
  private final Set<Fault> faults;
  private final LogitsBudget budget;
  private final ImageFeatureCache cache;
  private long tilesEncoded;

  public BatchGenerator(
      ModelSessions s,
      OrtEnvironment env,
      long imageTokenId,
      Set<Long> eos,
      long padId,
      long yesId,
      long noId,
      int tokensPerTile,
      int visionChunk,
      Function<long[], String> detokenizer,
      Set<Fault> faults,
      LogitsBudget budget,
      ImageFeatureCache cache) {
    this.budget = budget;
    this.cache = cache;
    this.s = s;
    this.env = env;
    this.imageTokenId = imageTokenId;
    this.eos = eos;
    this.padId = padId;
    this.yesId = yesId;
    this.noId = noId;
    this.tokensPerTile = tokensPerTile;
    this.visionChunk = visionChunk;
    this.detokenizer = detokenizer;
    this.faults = faults;
  }

  /** Tiles run through the vision encoder since load (tests check feature reuse with it). */
  public long tilesEncoded() {
    return tilesEncoded;
  }

  /** Session-run time accumulated over one batch. */
  private static final class Clock {
    double sessionMs;

    OrtSession.Result run(OrtSession session, Map<String, OnnxTensor> in) throws OrtException {
      return run(session, in, Set.of(), Map.of());
    }

    OrtSession.Result run(
        OrtSession session,
        Map<String, OnnxTensor> in,
        Set<String> fetch,
        Map<String, OnnxTensor> pinned)
        throws OrtException {
      long t = System.nanoTime();
      OrtSession.Result r = pinned.isEmpty() ? session.run(in) : session.run(in, fetch, pinned);
      sessionMs += (System.nanoTime() - t) / 1e6;
      return r;
    }
  }

  /**
   * Runs the batch, in groups whose prefill logits fit the {@link LogitsBudget}; a request whose
   * prompt alone exceeds it comes back as an {@code ERROR} result naming the sizes.
   */
  public List<VlmResult> run(List<PreparedRequest> batch) throws OrtException {
    return run(batch, Map.of());
  }

  /**
   * @param known vision features already computed for tiles of the batch, by tile identity (from
   *     {@link ImageFeatureCache#image}); these tiles are not encoded again
   */
  public List<VlmResult> run(List<PreparedRequest> batch, Map<float[], float[]> known)
      throws OrtException {
    if (s.logitsVocab == 0) {
      // Unknown vocabulary (symbolic last dim): ONNX Runtime allocates the logits natively and
      // the size cannot be planned; the whole batch runs as one.
      return runGroup(batch, known);
    }
    int[] lengths = batch.stream().mapToInt(p -> p.ids().length).toArray();
    int bytesPerValue = s.logitsType == OnnxJavaType.FLOAT16 ? 2 : 4;
    LogitsBudget.Plan plan = budget.plan(lengths, s.logitsVocab, bytesPerValue);
    VlmResult[] out = new VlmResult[batch.size()];
    for (int i : plan.refused()) {
      PreparedRequest p = batch.get(i);
      double ms = (System.nanoTime() - p.startNanos()) / 1e6;
      out[i] =
          VlmResult.failed(
              budget.refusal(lengths[i], s.logitsVocab, bytesPerValue),
              new Timings(p.preprocessMillis(), 0, 0, 0, ms, 0, 0, batch.size()));
    }
    for (List<Integer> group : plan.groups()) {
      List<VlmResult> results = runGroup(group.stream().map(batch::get).toList(), known);
      for (int k = 0; k < group.size(); k++) {
        out[group.get(k)] = results.get(k);
      }
    }
    return java.util.Arrays.asList(out);
  }

  private List<VlmResult> runGroup(List<PreparedRequest> batch, Map<float[], float[]> known)
      throws OrtException {
    // Every tensor and result of this batch is owned by one scope: an exception anywhere (a
    // failing decoder run, a bad shape, a fault) closes the KV caches instead of leaking them.
    try (NativeValues natives = new NativeValues()) {
      return runGroup(batch, known, natives);
    }
  }

  private List<VlmResult> runGroup(
      List<PreparedRequest> batch, Map<float[], float[]> known, NativeValues natives)
      throws OrtException {
    Clock clock = new Clock();
    int b = batch.size();
    long t0 = System.nanoTime();
    float[][] features = visionFeatures(batch, known, clock);
    long t1 = System.nanoTime();

    int seq = batch.stream().mapToInt(p -> p.ids().length).max().orElse(0);
    long[] ids = new long[b * seq];
    long[] mask = new long[b * seq];
    long[] pos = new long[b * seq];
    long[] lastPos = new long[b];
    for (int r = 0; r < b; r++) {
      long[] p = batch.get(r).ids();
      int pad = seq - p.length; // left padding keeps every row's last token at the end
      for (int i = 0; i < seq; i++) {
        boolean real = i >= pad;
        ids[r * seq + i] = real ? p[i - pad] : padId;
        mask[r * seq + i] = real ? 1 : 0;
        pos[r * seq + i] = real ? i - pad : 1;
      }
      lastPos[r] = p.length - 1;
    }
    float[] embeds = embed(ids, b, seq, clock);
    int hidden = embeds.length / (b * seq);
    for (int r = 0; r < b; r++) {
      merge(embeds, ids, r, seq, hidden, features[r]);
    }

    int pastLen = 0;
    List<OnnxTensor> past = emptyCache(b, natives);
    Step step0 = decode(embeds, new long[] {b, seq, hidden}, mask, pos, past, clock, natives);
    OrtSession.Result result = step0.result();
    natives.closeAll(past);
    long t2 = System.nanoTime();
    pastLen = seq;

    int maxSteps = 0;
    List<List<Long>> generated = new ArrayList<>();
    List<List<TokenLogprobs>> logprobs = new ArrayList<>();
    FinishReason[] finish = new FinishReason[b];
    double[] pYes = new double[b];
    Random[] rnd = new Random[b];
    for (int r = 0; r < b; r++) {
      generated.add(new ArrayList<>());
      logprobs.add(new ArrayList<>());
      GenerationOptions o = batch.get(r).request().options();
      rnd[r] = new Random(o.seed());
      pYes[r] = Double.NaN;
      if (batch.get(r).request().task() == Task.SCORE) {
        finish[r] = FinishReason.SCORED;
      } else {
        maxSteps = Math.max(maxSteps, o.maxNewTokens());
      }
    }
    float[] logits = step0.lastLogits();
    int vocab = logits.length / b;
    long[] next = new long[b];
    for (int r = 0; r < b; r++) {
      int off = r * vocab;
      pYes[r] = TokenPicker.pYes(logits[off + (int) yesId], logits[off + (int) noId]);
      if (finish[r] == null) {
        next[r] = accept(r, logits, off, vocab, batch, generated, logprobs, finish, rnd);
      } else {
        next[r] = padId;
      }
    }

    for (int step = 1; step < maxSteps && anyOpen(finish); step++) {
      float[] e = embed(next, b, 1, clock);
      long[] m = new long[b * (pastLen + 1)];
      long[] p = new long[b];
      boolean dropCache = faults.contains(Fault.DROPPED_CACHE);
      for (int r = 0; r < b; r++) {
        int pad = seq - batch.get(r).ids().length;
        for (int i = 0; i <= pastLen; i++) {
          m[r * (pastLen + 1) + i] = i >= pad ? 1 : 0;
        }
        lastPos[r]++;
        p[r] = faults.contains(Fault.WRONG_POSITIONS) ? step - 1 : lastPos[r];
      }
      List<OnnxTensor> pastIn;
      OrtSession.Result previous = result;
      if (dropCache) {
        pastIn = emptyCache(b, natives);
        m = new long[b];
        java.util.Arrays.fill(m, 1);
      } else {
        pastIn = new ArrayList<>();
        for (String name : s.presentNames) {
          pastIn.add((OnnxTensor) previous.get(name).get());
        }
      }
      Step st = decode(e, new long[] {b, 1, hidden}, m, p, pastIn, clock, natives);
      result = st.result();
      if (faults.contains(Fault.FAIL_MID_DECODE)) {
        throw new IllegalStateException("injected fault: decode step " + step + " failed");
      }
      if (dropCache) {
        natives.closeAll(pastIn);
      }
      natives.close(previous);
      pastLen++;
      logits = st.lastLogits();
      for (int r = 0; r < b; r++) {
        next[r] =
            finish[r] == null
                ? accept(r, logits, r * vocab, vocab, batch, generated, logprobs, finish, rnd)
                : padId;
      }
    }
    natives.close(result);
    long t3 = System.nanoTime();

    List<VlmResult> out = new ArrayList<>();
    for (int r = 0; r < b; r++) {
      PreparedRequest pr = batch.get(r);
      if (finish[r] == null) {
        finish[r] = FinishReason.MAX_TOKENS;
      }
      long[] gen = generated.get(r).stream().mapToLong(Long::longValue).toArray();
      int images = pr.images().size();
      Timings timings =
          new Timings(
              pr.preprocessMillis(),
              (t1 - t0) / 1e6,
              (t2 - t1) / 1e6,
              (t3 - t2) / 1e6,
              (t3 - pr.startNanos()) / 1e6,
              clock.sessionMs,
              images == 0 ? 0 : pr.imageTokens() / images,
              b);
      boolean score = pr.request().task() == Task.SCORE;
      out.add(
          new VlmResult(
              score ? "" : detokenizer.apply(gen),
              gen,
              score ? pYes[r] : Double.NaN,
              pr.ids().length,
              gen.length,
              finish[r],
              timings,
              null,
              score ? ScoreMethod.LOGITS : null,
              logprobs.get(r)));
    }
    return out;
  }

  private long accept(
      int r,
      float[] logits,
      int off,
      int vocab,
      List<PreparedRequest> batch,
      List<List<Long>> generated,
      List<List<TokenLogprobs>> logprobs,
      FinishReason[] finish,
      Random[] rnd) {
    GenerationOptions o = batch.get(r).request().options();
    long tok = TokenPicker.pick(logits, off, vocab, o, rnd[r]);
    generated.get(r).add(tok);
    if (o.topLogprobs() > 0) {
      // Only when asked: a pass over the vocabulary and k + 1 token decodes per position.
      logprobs
          .get(r)
          .add(
              TokenPicker.logprobs(
                  logits,
                  off,
                  vocab,
                  tok,
                  o.topLogprobs(),
                  id -> detokenizer.apply(new long[] {id})));
    }
    if (eos.contains(tok)) {
      finish[r] = FinishReason.STOP;
    } else if (generated.get(r).size() >= o.maxNewTokens()) {
      finish[r] = FinishReason.MAX_TOKENS;
    }
    return tok;
  }

  private static boolean anyOpen(FinishReason[] f) {
    for (FinishReason x : f) {
      if (x == null) {
        return true;
      }
    }
    return false;
  }

  /** Image features per request, [imageTokens * hidden], in prompt order. */
  private float[][] visionFeatures(
      List<PreparedRequest> batch, Map<float[], float[]> knownBefore, Clock clock)
      throws OrtException {
    List<float[]> all = new ArrayList<>();
    int tile = 0;
    for (PreparedRequest p : batch) {
      p.images().forEach(i -> all.addAll(List.of(i.tiles())));
      if (!p.images().isEmpty()) {
        tile = p.images().get(0).tileSize();
      }
    }
    // A window's describe and its rule scores share the same preprocessed tiles (the engine
    // caches them per run): encode each distinct tile once. Tiles are independent in the vision
    // tower, so the features are the same as encoding every copy.
    // Tiles of images seen by an earlier run (the same frame scored again as its window grows)
    // take their features from the cache and are not encoded at all.
    Map<float[], Integer> index = new IdentityHashMap<>();
    Map<float[], float[]> known = new IdentityHashMap<>(knownBefore);
    List<float[]> tiles = new ArrayList<>();
    for (float[] t : all) {
      if (index.containsKey(t) || known.containsKey(t)) {
        continue;
      }
      float[] cached = cache.features(t);
      if (cached != null) {
        known.put(t, cached);
      } else if (t.length == 0) {
        throw new IllegalStateException("a tile whose pixels were dropped has no features");
      } else {
        index.put(t, tiles.size());
        tiles.add(t);
      }
    }
    List<float[]> encoded = new ArrayList<>();
    for (int start = 0; start < tiles.size(); start += visionChunk) {
      int n = Math.min(visionChunk, tiles.size() - start);
      int plane = 3 * tile * tile;
      float[] px = new float[n * plane];
      for (int i = 0; i < n; i++) {
        System.arraycopy(tiles.get(start + i), 0, px, i * plane, plane);
      }
      byte[] maskBytes = new byte[n * tile * tile];
      java.util.Arrays.fill(maskBytes, (byte) 1);
      OnnxJavaType pxType =
          ((ai.onnxruntime.TensorInfo) s.vision.getInputInfo().get("pixel_values").getInfo()).type;
      try (OnnxTensor pv = Tensors.floats(env, px, new long[] {1, n, 3, tile, tile}, pxType);
          OnnxTensor pm =
              OnnxTensor.createTensor(
                  env,
                  java.nio.ByteBuffer.allocateDirect(maskBytes.length).put(maskBytes).rewind(),
                  new long[] {1, n, tile, tile},
                  OnnxJavaType.BOOL);
          OrtSession.Result r =
              clock.run(s.vision, Map.of("pixel_values", pv, "pixel_attention_mask", pm))) {
        OnnxTensor f = (OnnxTensor) r.get("image_features").get();
        long[] shape = f.getInfo().getShape();
        if (shape[shape.length - 2] != tokensPerTile) {
          throw new IllegalStateException(
              "vision encoder gives "
                  + shape[shape.length - 2]
                  + " tokens per tile but processor_config says image_seq_len "
                  + tokensPerTile);
        }
        float[] feats = Tensors.toFloats(f);
        int per = feats.length / n;
        for (int i = 0; i < n; i++) {
          encoded.add(java.util.Arrays.copyOfRange(feats, i * per, (i + 1) * per));
        }
      }
    }
    tilesEncoded += tiles.size();
    for (int i = 0; i < tiles.size(); i++) {
      cache.putFeatures(tiles.get(i), encoded.get(i));
    }
    List<float[]> perTile = new ArrayList<>(all.size());
    for (float[] t : all) {
      float[] f = known.get(t);
      perTile.add(f != null ? f : encoded.get(index.get(t)));
    }
    float[][] out = new float[batch.size()][];
    int t = 0;
    for (int r = 0; r < batch.size(); r++) {
      int n = batch.get(r).tiles();
      List<float[]> mine = new ArrayList<>(perTile.subList(t, t + n));
      t += n;
      if (faults.contains(Fault.SHIFTED_MERGE) && n > 1) {
        java.util.Collections.rotate(mine, 1);
      }
      int per = mine.isEmpty() ? 0 : mine.get(0).length;
      float[] f = new float[n * per];
      for (int i = 0; i < n; i++) {
        System.arraycopy(mine.get(i), 0, f, i * per, per);
      }
      out[r] = f;
    }
    return out;
  }

  private void merge(float[] embeds, long[] ids, int row, int seq, int hidden, float[] feats) {
    int k = 0;
    for (int i = 0; i < seq; i++) {
      if (ids[row * seq + i] == imageTokenId) {
        if ((k + 1) * hidden > feats.length) {
          throw new IllegalStateException("more <image> tokens than image features");
        }
        System.arraycopy(feats, k * hidden, embeds, (row * seq + i) * hidden, hidden);
        k++;
      }
    }
    if (k * hidden != feats.length) {
      throw new IllegalStateException(
          "image features for "
              + feats.length / Math.max(1, hidden)
              + " tokens but "
              + k
              + " <image> slots");
    }
  }

  private float[] embed(long[] ids, int b, int seq, Clock clock) throws OrtException {
    try (OnnxTensor t = Tensors.longs(env, ids, new long[] {b, seq});
        OrtSession.Result r = clock.run(s.embed, Map.of("input_ids", t))) {
      return Tensors.toFloats((OnnxTensor) r.get("inputs_embeds").get());
    }
  }

  private List<OnnxTensor> emptyCache(int b, NativeValues natives) throws OrtException {
    List<OnnxTensor> l = new ArrayList<>();
    for (int i = 0; i < s.pastNames.size(); i++) {
      l.add(
          natives.own(
              Tensors.floats(
                  env, new float[0], new long[] {b, s.kvHeads, 0, s.headDim}, s.cacheType)));
    }
    return l;
  }

  /** A decoder run: its result (holding the present caches) and the last position's logits. */
  private record Step(OrtSession.Result result, float[] lastLogits) {}

  /**
   * One decoder run. Its result (the present caches for the next step) is owned by {@code natives}
   * as soon as it exists, so a failure while reading the logits cannot leak it.
   */
  private Step decode(
      float[] embeds,
      long[] shape,
      long[] mask,
      long[] pos,
      List<OnnxTensor> past,
      Clock clock,
      NativeValues natives)
      throws OrtException {
    int b = (int) shape[0];
    int seq = (int) shape[1];
    Map<String, OnnxTensor> in = new HashMap<>();
    try (NativeValues inputs = new NativeValues()) {
      in.put("inputs_embeds", inputs.own(Tensors.floats(env, embeds, shape, s.embedsType)));
      in.put(
          "attention_mask", inputs.own(Tensors.longs(env, mask, new long[] {b, mask.length / b})));
      in.put("position_ids", inputs.own(Tensors.longs(env, pos, new long[] {b, shape[1]})));
      if (s.hasUseCacheBranch) {
        boolean useCache = past.get(0).getInfo().getShape()[2] > 0;
        in.put(
            "use_cache_branch", inputs.own(OnnxTensor.createTensor(env, new boolean[] {useCache})));
      }
      for (int i = 0; i < past.size(); i++) {
        in.put(s.pastNames.get(i), past.get(i));
      }
      if (s.logitsVocab > 0) {
        return pinnedLogitsRun(in, b, seq, clock, natives);
      }
      OrtSession.Result r = natives.own(clock.run(s.decoder, in));
      // Symbolic vocabulary: ONNX Runtime allocated the logits itself, and its Java API can only
      // copy a tensor out whole; copy once, keep the last row per sequence.
      float[] all = Tensors.toFloats((OnnxTensor) r.get("logits").get());
      int vocab = (int) (all.length / ((long) b * seq));
      float[] last = new float[b * vocab];
      for (int row = 0; row < b; row++) {
        System.arraycopy(all, (row * seq + seq - 1) * vocab, last, row * vocab, vocab);
      }
      return new Step(r, last);
    }
  }

  /**
   * Runs the decoder writing the logits into our own direct buffer and copies only each sequence's
   * last position out of it: the graph computes {@code [b, seq, vocab]} logits (the exports have no
   * "logits to keep" input), but nothing of them but the last row reaches the Java heap. {@link
   * #run} already split the batch so this buffer fits the {@link LogitsBudget}.
   */
  private Step pinnedLogitsRun(
      Map<String, OnnxTensor> in, int b, int seq, Clock clock, NativeValues natives)
      throws OrtException {
    int vocab = s.logitsVocab;
    boolean half = s.logitsType == OnnxJavaType.FLOAT16;
    long bytes = LogitsBudget.bytes(b, seq, vocab, half ? 2 : 4);
    if (bytes > budget.maxBytes()) {
      throw new IllegalStateException(
          "logits of "
              + b
              + " x "
              + seq
              + " x "
              + vocab
              + " need "
              + bytes
              + " bytes, above the bound of "
              + budget.maxBytes());
    }
    ByteBuffer raw = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    long[] shape = {b, seq, vocab};
    float[] last = new float[b * vocab];
    try (OnnxTensor pinned =
        half
            ? OnnxTensor.createTensor(env, raw.asShortBuffer(), shape, OnnxJavaType.FLOAT16)
            : OnnxTensor.createTensor(env, raw.asFloatBuffer(), shape)) {
      OrtSession.Result r =
          natives.own(
              clock.run(s.decoder, in, Set.copyOf(s.presentNames), Map.of("logits", pinned)));
      for (int row = 0; row < b; row++) {
        long from = ((long) row * seq + seq - 1) * vocab; // element index, long like the size
        if (half) {
          ShortBuffer h = raw.asShortBuffer();
          for (int v = 0; v < vocab; v++) {
            last[row * vocab + v] = Fp16Conversions.fp16ToFloat(h.get((int) from + v));
          }
        } else {
          raw.asFloatBuffer().get((int) from, last, row * vocab, vocab);
        }
      }
      return new Step(r, last);
    }
  }
}
