package io.streamsight.schemas.config;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;

/**
 * Renders the key reference of config files (docs/configuration.md) from the records the binder
 * binds them to: every key with its type, default and meaning, taken from the {@link ConfigDoc} on
 * its component, so the docs say exactly what the code does.
 */
public final class ConfigDocs {
  /**
   * One config file.
   *
   * @param file its usual name, e.g. {@code operator.yaml}
   * @param root the record the whole file binds to
   * @param about a paragraph in Markdown: who reads the file and how it is passed
   * @param example a short example in YAML, or ""
   */
  public record Section(String file, Class<? extends Record> root, String about, String example) {}

  private ConfigDocs() {}

  /** The Markdown document: {@code intro} (Markdown, ends with a blank line) then the sections. */
  public static String render(String title, String intro, List<Section> sections) {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(title).append("\n\n").append(intro);
    for (Section s : sections) {
      b.append("\n## ").append(s.file()).append("\n\n").append(s.about().strip()).append("\n\n");
      if (!s.example().isBlank()) {
        b.append("```yaml\n").append(s.example().strip()).append("\n```\n\n");
      }
      b.append("| key | type | default | meaning |\n|---|---|---|---|\n");
      rows(b, s.root(), "");
    }
    return b.toString();
  }

  private static void rows(StringBuilder b, Class<?> record, String prefix) {
    for (RecordComponent c : record.getRecordComponents()) {
      ConfigDoc doc = c.getAnnotation(ConfigDoc.class);
      if (doc == null) {
        throw new IllegalStateException(
            record.getName() + "." + c.getName() + " has no @ConfigDoc");
      }
      Type type = c.getGenericType();
      String key = prefix + c.getName();
      String typeText = doc.type().isEmpty() ? ConfigTypes.doc(type) : doc.type();
      b.append("| `")
          .append(key)
          .append("` | ")
          .append(cell(typeText))
          .append(" | ")
          .append(cell(defaultText(doc, type)))
          .append(" | ")
          .append(cell(doc.value()))
          .append(" |\n");
      if (ConfigTypes.isRecord(type)) {
        rows(b, ConfigTypes.raw(type), key + ".");
      } else if (ConfigTypes.isMap(type) && ConfigTypes.isRecord(ConfigTypes.arg(type, 1))) {
        rows(b, ConfigTypes.raw(ConfigTypes.arg(type, 1)), key + ".<name>.");
      } else if (ConfigTypes.isList(type) && ConfigTypes.isRecord(ConfigTypes.arg(type, 0))) {
        rows(b, ConfigTypes.raw(ConfigTypes.arg(type, 0)), key + "[].");
      }
    }
  }

  private static String defaultText(ConfigDoc doc, Type type) {
    if (doc.required()) {
      return "required";
    }
    if (!doc.defaultValue().isEmpty()) {
      return "`" + doc.defaultValue() + "`";
    }
    if (!doc.unset().isEmpty()) {
      return doc.unset();
    }
    return ConfigTypes.isRecord(type) ? "(its keys' defaults)" : "unset";
  }

  /** Table cells are one line; a pipe would end the cell. */
  private static String cell(String text) {
    return text.strip().replaceAll("\\s*\\n\\s*", " ").replaceAll("(?<!\\\\)\\|", "\\\\|");
  }
}
