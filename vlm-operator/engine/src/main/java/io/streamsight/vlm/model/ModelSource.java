package io.streamsight.vlm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which hub repository and revision a model directory was pulled from, so an error about missing
 * files can print the exact {@code streamsight model pull} command that fetches them. {@code model
 * pull} records it in {@link #FILE}; for directories pulled before that file existed, the default
 * directory name ({@code <owner>--<name>[@<revision>]}) is read back.
 */
public record ModelSource(String repo, String revision) {
  /** Written by {@code model pull} into the model directory. */
  public static final String FILE = ".streamsight-source.json";

  private static final Pattern DEFAULT_DIR_NAME =
      Pattern.compile("([A-Za-z0-9][\\w.-]*?)--([A-Za-z0-9][\\w.-]*?)(?:@([\\w.-]+))?");

  /** Records this source in {@code dir}, atomically (a reader never sees half a file). */
  public void writeTo(Path dir) throws IOException {
    ObjectNode o = Json.MAPPER.createObjectNode().put("repo", repo).put("revision", revision);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, o.toPrettyString() + "\n");
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The recorded source of {@code dir}, else the one its name implies, else empty. Only used for
   * hints, so an unreadable record counts as absent rather than failing the load.
   */
  public static Optional<ModelSource> of(Path dir) {
    Path file = dir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try {
        JsonNode n = Json.MAPPER.readTree(file.toFile());
        if (n.path("repo").isTextual()) {
          return Optional.of(
              new ModelSource(n.get("repo").asText(), n.path("revision").asText("main")));
        }
      } catch (IOException e) {
        // fall through to the directory name
      }
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    Matcher m = name == null ? null : DEFAULT_DIR_NAME.matcher(name.toString());
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new ModelSource(m.group(1) + "/" + m.group(2), m.group(3) == null ? "main" : m.group(3)));
  }

  /**
   * The command that fetches {@code variant} into {@code dir}: {@code streamsight model pull REPO
   * [--revision R] --variant X --dir DIR}. The repository is a placeholder when {@code dir} names
   * none.
   */
  public static String pullCommand(Path dir, ModelVariant variant) {
    Optional<ModelSource> source = of(dir);
    List<String> cmd = new ArrayList<>(List.of("streamsight", "model", "pull"));
    cmd.add(
        source
            .map(ModelSource::repo)
            .orElse("<hub repo, e.g. HuggingFaceTB/SmolVLM-256M-Instruct>"));
    source
        .filter(s -> !"main".equals(s.revision()))
        .ifPresent(s -> cmd.addAll(List.of("--revision", s.revision())));
    cmd.addAll(List.of("--variant", variant.cliName()));
    cmd.addAll(List.of("--dir", dir.toAbsolutePath().normalize().toString()));
    return String.join(" ", cmd);
  }
}
