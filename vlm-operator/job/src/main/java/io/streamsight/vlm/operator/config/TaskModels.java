package io.streamsight.vlm.operator.config;

import io.streamsight.schemas.config.ConfigDoc;
import io.streamsight.schemas.config.ConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which declared models (names under {@code models:}) each task uses, in order of preference: the
 * first whose budget is not spent and whose server is up, then the next ({@code [remote-big,
 * local-small]}); when none can, the work is shed (counted). A key left out inherits: per camera,
 * the top-level {@code tasks:}; at the top level, {@value #DEFAULT_MODEL} (the model given with
 * {@code --model}).
 */
public record TaskModels(
    @ConfigDoc(value = "Models describing each closed window.", unset = INHERITED)
        List<String> summaries,
    @ConfigDoc(
            value = "Models scoring alert rules (the screening model of a verification cascade).",
            unset = INHERITED)
        List<String> rules,
    @ConfigDoc(value = "Models answering live questions.", unset = INHERITED)
        List<String> questions,
    @ConfigDoc(value = "Models answering questions about the past.", unset = INHERITED)
        List<String> pastQuestions,
    @ConfigDoc(value = "Models writing digest narratives.", unset = INHERITED)
        List<String> narratives)
    implements Serializable {

  /** What a key left out means (docs). */
  static final String INHERITED = "per camera: `tasks`; at the top: `[default]` (`--model`)";

  /** The model given with {@code --model}, and what a task names when nothing says otherwise. */
  public static final String DEFAULT_MODEL = "default";

  public static final TaskModels INHERIT = new TaskModels(null, null, null, null, null);

  public TaskModels {
    summaries = checked("summaries", summaries);
    rules = checked("rules", rules);
    questions = checked("questions", questions);
    pastQuestions = checked("pastQuestions", pastQuestions);
    narratives = checked("narratives", narratives);
  }

  private static List<String> checked(String key, List<String> names) {
    if (names == null) {
      return null;
    }
    if (names.isEmpty()) {
      throw ConfigException.invalid(key, "[]", "a list of one or more model names, or unset");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null || n.isBlank() || !seen.add(n)) {
        throw ConfigException.invalid(
            key + "[" + i + "]", n, "a model name, each at most once in the list");
      }
    }
    return List.copyOf(names);
  }

  /** The list for {@code task}, or null when this record leaves it to be inherited. */
  public List<String> get(ModelTask task) {
    return switch (task) {
      case SUMMARIES -> summaries;
      case RULES -> rules;
      case QUESTIONS -> questions;
      case PAST_QUESTIONS -> pastQuestions;
      case NARRATIVES -> narratives;
    };
  }

  /** This record's lists, where set, over {@code base}'s. */
  public TaskModels over(TaskModels base) {
    return new TaskModels(
        summaries != null ? summaries : base.summaries,
        rules != null ? rules : base.rules,
        questions != null ? questions : base.questions,
        pastQuestions != null ? pastQuestions : base.pastQuestions,
        narratives != null ? narratives : base.narratives);
  }

  /**
   * Fails naming the key ({@code prefix.<task>[i]}) of the first name that is not in {@code
   * declared}.
   */
  void check(String prefix, Set<String> declared) {
    for (ModelTask t : ModelTask.values()) {
      List<String> names = get(t);
      if (names == null) {
        continue;
      }
      for (int i = 0; i < names.size(); i++) {
        if (!declared.contains(names.get(i))) {
          throw ConfigException.invalid(
              prefix + "." + t.key() + "[" + i + "]",
              names.get(i),
              "a model declared under `models:` (" + known(declared) + ")");
        }
      }
    }
  }

  static String known(Set<String> declared) {
    List<String> names = new ArrayList<>(declared);
    names.sort(null);
    return names.isEmpty() ? "none declared" : String.join(", ", names);
  }
}
