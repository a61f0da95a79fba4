package io.streamsight.vlm.operator.inference;

import io.streamsight.vlm.operator.config.EngineModelConfig;
import io.streamsight.vlm.operator.config.ModelDeclaration;
import io.streamsight.vlm.operator.config.ModelTask;
import io.streamsight.vlm.operator.config.OperatorConfig;
import io.streamsight.vlm.operator.config.TaskModels;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job's models by name, as shipped in the job graph: one {@link ModelProvider} per model
 * declared under {@code models:} (an {@link EngineModelProvider} in process, a {@link
 * RemoteModelProvider} for a server, wrapped in a {@link BudgetedModelProvider} when it has a
 * budget), plus {@value TaskModels#DEFAULT_MODEL}, the model given with {@code --model}. Holds no
 * key material (providers hold where keys are).
 */
public final class Models implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, ModelProvider> providers;

  private Models(Map<String, ModelProvider> providers) {
    this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
  }

  /** One model for every task: a job without {@code models:} (and the tests of one model). */
  public static Models single(ModelProvider model) {
    return new Models(Map.of(TaskModels.DEFAULT_MODEL, model));
  }

  /** These providers by name (embedding the job with models of one's own; tests). */
  public static Models named(Map<String, ModelProvider> providers) {
    return new Models(providers);
  }

  /**
   * The models of {@code config}, with {@code defaultModel} (from {@code --model}, or null when
   * none was given) as {@value TaskModels#DEFAULT_MODEL}. Fails naming the key when a task needs a
   * model that is not there.
   */
  public static Models of(OperatorConfig config, ModelProvider defaultModel) {
    Map<String, ModelProvider> p = new LinkedHashMap<>();
    for (Map.Entry<String, ModelDeclaration> e : config.models().entrySet()) {
      if (e.getKey().equals(TaskModels.DEFAULT_MODEL) && defaultModel != null) {
        throw new IllegalArgumentException(
            "models.default: the name `default` is the --model given; declare this model under"
                + " another name, or leave out --model");
      }
      p.put(e.getKey(), provider(e.getValue()));
    }
    if (defaultModel != null) {
      p.put(TaskModels.DEFAULT_MODEL, defaultModel);
    }
    Models m = new Models(p);
    m.checkRoutes(config);
    return m;
  }

  static ModelProvider provider(ModelDeclaration d) {
    ModelProvider p;
    if (d.engine() != null) {
      EngineModelConfig e = d.engine();
      p =
          new EngineModelProvider(
              e.dir(), new EngineOptions(e.variant(), e.provider(), e.tensorRtFp16()), 0);
    } else {
      p = new RemoteModelProvider(d.server());
    }
    return d.tokensPerHour() == null ? p : new BudgetedModelProvider(p, d.tokensPerHour());
  }

  /** Every task's models exist; else fails naming the task and where its default came from. */
  void checkRoutes(OperatorConfig config) {
    for (ModelTask t : ModelTask.values()) {
      for (String name : config.modelsFor(t)) {
        if (!providers.containsKey(name)) {
          throw new IllegalArgumentException(
              "tasks."
                  + t.key()
                  + ": uses the model `"
                  + name
                  + "`"
                  + (name.equals(TaskModels.DEFAULT_MODEL)
                      ? " (the default: --model), but no --model was given"
                      : ", which is not declared")
                  + "; models: "
                  + known());
        }
      }
    }
  }

  private String known() {
    return providers.isEmpty() ? "none (declare them under models:)" : String.join(", ", names());
  }

  public Set<String> names() {
    return providers.keySet();
  }

  /** The provider of {@code name}; fails naming the known names. */
  public ModelProvider provider(String name) {
    ModelProvider p = providers.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no model named '" + name + "'; models: " + known());
    }
    return p;
  }

  /** The names of {@code task}'s models that exist here (what an operator of it loads). */
  public List<String> forTask(OperatorConfig config, ModelTask task) {
    return config.modelsFor(task).stream().filter(providers::containsKey).toList();
  }

  @Override
  public String toString() {
    return "Models" + providers.keySet();
  }
}
