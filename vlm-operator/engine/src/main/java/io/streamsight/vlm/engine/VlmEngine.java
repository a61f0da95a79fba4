package io.streamsight.vlm.engine;

import ai.onnxruntime.OrtException;
import io.streamsight.vlm.api.Timings;
import io.streamsight.vlm.api.VisionLanguageModel;
import io.streamsight.vlm.api.VlmRequest;
import io.streamsight.vlm.api.VlmResult;
import io.streamsight.vlm.generation.BatchGenerator;
import io.streamsight.vlm.generation.Fault;
import io.streamsight.vlm.generation.ImageFeatureCache;
import io.streamsight.vlm.generation.LogitsBudget;
import io.streamsight.vlm.generation.PreparedRequest;
import io.streamsight.vlm.model.ModelDirectory;
import io.streamsight.vlm.model.ModelVariant;
import io.streamsight.vlm.preprocess.ImageDecodeException;
import io.streamsight.vlm.preprocess.ImageDecoder;
import io.streamsight.vlm.preprocess.ImageProcessor;
import io.streamsight.vlm.preprocess.ProcessedImage;
import io.streamsight.vlm.preprocess.TileLayout;
import io.streamsight.vlm.prompt.Prompt;
import io.streamsight.vlm.prompt.PromptBuilder;
import io.streamsight.vlm.prompt.PromptTooLongException;
import io.streamsight.vlm.prompt.VlmTokenizer;
import io.streamsight.vlm.runtime.ExecutionProvider;
import io.streamsight.vlm.runtime.ModelSessions;
import io.streamsight.vlm.runtime.ProviderProbe;
import io.streamsight.vlm.runtime.SessionFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an ONNX export in the published SmolVLM layout with ONNX Runtime: the {@link
 * VisionLanguageModel} implementation. The model family named by {@code config.json} ({@link
 * ModelFamilies}) supplies preprocessing and prompt layout. Bad requests (unreadable image,
 * over-long prompt) come back as {@code ERROR} results; a broken model fails at {@link #load}.
 *
 * <p>{@link #run} runs all its requests as one batch: the caller sizes batches (the operator's
 * inference service by its {@code inference.maxBatch}), so there is one batch-size setting.
 */
public final class VlmEngine implements VisionLanguageModel {
  /**
   * How the error of a result starts when the model run itself failed (not the request's input): a
   * server answers those with a 5xx, every other error result with a 4xx.
   */
  public static final String MODEL_RUN_FAILED = "model run failed: ";

  private final String modelId;
  private final ModelDirectory dir;
  private final SessionFactory factory;
  private final ModelSessions sessions;
  private final VlmTokenizer tokenizer;
  private final ModelFamily family;
  private final ImageProcessor processor;
  private final PromptBuilder prompts;
  private final BatchGenerator generator;
  private final ImageFeatureCache imageCache;
  private final int contextLimit;

  private VlmEngine(Path root, EngineConfig config, Set<Fault> faults) {
    this.dir = ModelDirectory.open(root, config.variant());
    this.family = ModelFamilies.select(dir);
    this.modelId = root.toAbsolutePath().normalize().getFileName().toString();
    this.tokenizer = VlmTokenizer.load(dir.tokenizerJson());
    this.processor = family.imageProcessor(dir);
    try {
      this.prompts = family.promptBuilder(dir, tokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    this.factory = new SessionFactory(config.runtime(), ProviderProbe.ONNX_RUNTIME);
    try {
      this.sessions = new ModelSessions(dir, factory);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    int limit = dir.text().maxPositions();
    this.contextLimit =
        config.maxPromptTokens() > 0 ? Math.min(limit, config.maxPromptTokens()) : limit;
    this.imageCache = new ImageFeatureCache(config.featureCacheBytes());
    this.generator =
        new BatchGenerator(
            sessions,
            factory.environment(),
            prompts.imageTokenId(),
            new HashSet<>(dir.eosTokenIds()),
            dir.padTokenId(),
            tokenizer.firstTokenId("Yes"),
            tokenizer.firstTokenId("No"),
            dir.imageSeqLen(),
            config.visionTilesPerRun(),
            tokenizer::decode,
            faults,
            new LogitsBudget(LogitsBudget.DEFAULT_MAX_BYTES),
            imageCache);
  }

  /**
   * Checks, without loading anything, that {@code modelDir} holds {@code variant}'s files and a
   * known model family: what a job submitter can verify before a cluster tries to load the model.
   *
   * @throws io.streamsight.vlm.model.ModelLoadException naming what is missing or unknown
   */
  public static ModelFamily check(Path modelDir, ModelVariant variant) {
    return ModelFamilies.select(ModelDirectory.open(modelDir, variant));
  }

  public static VlmEngine load(Path modelDir, EngineConfig config) {
    return new VlmEngine(modelDir, config, EnumSet.noneOf(Fault.class));
  }

  /** Loads with deliberate bugs, for tests proving the fixture model detects them. */
  public static VlmEngine loadWithFaults(Path modelDir, EngineConfig config, Set<Fault> faults) {
    return new VlmEngine(modelDir, config, EnumSet.copyOf(faults));
  }

  @Override
  public String modelId() {
    return modelId;
  }

  public ModelDirectory directory() {
    return dir;
  }

  public ExecutionProvider executionProvider() {
    return factory.chosen();
  }

  public VlmTokenizer tokenizer() {
    return tokenizer;
  }

  /** The family selected by the model's {@code model_type}. */
  public ModelFamily family() {
    return family;
  }

  /** Tiles run through the vision encoder since load: fewer than seen when features are reused. */
  public long visionTilesEncoded() {
    return generator.tilesEncoded();
  }

  @Override
  public List<VlmResult> run(List<VlmRequest> requests) {
    VlmResult[] out = new VlmResult[requests.size()];
    List<PreparedRequest> ready = new ArrayList<>();
    List<Integer> readyIndex = new ArrayList<>();
    // Requests about the same window (a describe and one score per rule) carry the same image
    // arrays: decode and preprocess each once per run (and across runs while the image cache
    // keeps them: early firing scores the same frames again in later batches).
    Map<ImageFeatureCache.Key, ProcessedImage> processed = new HashMap<>();
    Map<float[], float[]> known = new IdentityHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      long start = System.nanoTime();
      try {
        ready.add(prepare(requests.get(i), start, processed, imageCache, known));
        readyIndex.add(i);
      } catch (ImageDecodeException | PromptTooLongException | IllegalArgumentException e) {
        out[i] = VlmResult.failed(e.getMessage(), timings(start, 1));
      }
    }
    if (!ready.isEmpty()) {
      List<VlmResult> results;
      try {
        results = generator.run(ready, known);
      } catch (OrtException | RuntimeException e) {
        results = new ArrayList<>();
        for (PreparedRequest p : ready) {
          results.add(
              VlmResult.failed(
                  MODEL_RUN_FAILED + e.getMessage(), timings(p.startNanos(), ready.size())));
        }
      }
      for (int k = 0; k < ready.size(); k++) {
        out[readyIndex.get(k)] = results.get(k);
      }
    }
    return Arrays.asList(out);
  }

  /** Decodes, preprocesses and tokenises one request; throws for bad input. */
  public PreparedRequest prepare(VlmRequest request, long startNanos) {
    return prepare(
        request, startNanos, new HashMap<>(), new ImageFeatureCache(0), new IdentityHashMap<>());
  }

  /**
   * @param cache this run's images, keyed by array identity and tile budget (records compare array
   *     components by identity: the same array object, not equal bytes)
   * @param kept images kept across runs
   * @param known collects the features of kept images' tiles, for this run
   */
  private PreparedRequest prepare(
      VlmRequest request,
      long startNanos,
      Map<ImageFeatureCache.Key, ProcessedImage> cache,
      ImageFeatureCache kept,
      Map<float[], float[]> known) {
    int maxTiles = request.options().budget().maxTilesPerImage();
    List<ProcessedImage> images = new ArrayList<>();
    List<TileLayout> layouts = new ArrayList<>();
    for (int i = 0; i < request.images().size(); i++) {
      ImageFeatureCache.Key key = new ImageFeatureCache.Key(request.images().get(i), maxTiles);
      ProcessedImage p = cache.get(key);
      if (p == null) {
        p = kept.image(key, known);
      }
      if (p == null) {
        try {
          p = processor.process(ImageDecoder.decode(key.bytes()), maxTiles);
        } catch (ImageDecodeException e) {
          throw new ImageDecodeException("image " + i + ": " + e.getMessage(), e);
        }
        kept.putImage(key, p);
      }
      cache.put(key, p);
      images.add(p);
      layouts.add(p.layout());
    }
    Prompt prompt = prompts.build(layouts, request.text());
    int needed =
        prompt.ids().length
            + (request.task() == io.streamsight.vlm.api.Task.SCORE
                ? 0
                : request.options().maxNewTokens());
    if (needed > contextLimit) {
      throw new PromptTooLongException(needed, contextLimit);
    }
    double ms = (System.nanoTime() - startNanos) / 1e6;
    return new PreparedRequest(request, prompt.ids(), images, prompt.imageTokens(), ms, startNanos);
  }

  private static Timings timings(long start, int batch) {
    double ms = (System.nanoTime() - start) / 1e6;
    return new Timings(ms, 0, 0, 0, ms, 0, 0, batch);
  }

  @Override
  public void close() {
    sessions.close();
    tokenizer.close();
  }
}
