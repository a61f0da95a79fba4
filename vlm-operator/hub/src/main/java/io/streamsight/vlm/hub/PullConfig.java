package io.streamsight.vlm.hub;

import io.streamsight.vlm.model.ModelVariant;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a model pull needs, resolved and validated once.
 *
 * @param repo hub repository, {@code owner/name}
 * @param revision branch, tag or commit
 * @param variant which weight files to fetch
 * @param dir destination directory
 * @param endpoint hub base URL (no trailing slash)
 * @param token bearer token, or null
 * @param maxAttempts tries per request for transient failures (at least 1)
 * @param initialBackoff wait after the first transient failure; doubled each time
 * @param stallTimeout a transfer that receives no byte for this long is aborted and resumed (the
 *     JDK client has no read timeout of its own once the body is streaming)
 * @param allowHttp permit plain http for the endpoint and redirects (a local mirror); otherwise
 *     https only, so neither the token nor the weights cross the network in clear
 * @param maxFileBytes the most one file may take on disk when neither the hub's listing nor the
 *     response's {@code Content-Length} states its size (a mirror without the API streaming a
 *     chunked body): without it a server could stream until the disk is full. Default {@link
 *     #DEFAULT_MAX_FILE_BYTES}; a listed or announced size is enforced exactly instead
 */
public record PullConfig(
    String repo,
    String revision,
    ModelVariant variant,
    Path dir,
    URI endpoint,
    String token,
    int maxAttempts,
    Duration initialBackoff,
    Duration stallTimeout,
    boolean allowHttp,
    long maxFileBytes) {

  /**
   * 64 GiB: above any single weight file of the VLMs we run (SmolVLM's largest ONNX file is under 1
   * GiB; a 7B model's fp32 external data in one file is about 28 GiB), far below a full disk.
   */
  public static final long DEFAULT_MAX_FILE_BYTES = 64L << 30;

  public static final String DEFAULT_REPO = "HuggingFaceTB/SmolVLM-256M-Instruct";
  public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  public static final String ENV_ENDPOINT = "HF_ENDPOINT";
  public static final String ENV_TOKEN = "HF_TOKEN";

  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][\\w.-]*(/[A-Za-z0-9][\\w.-]*)?");

  public PullConfig {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(dir, "dir");
    if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..")) {
      throw new IllegalArgumentException(
          "repo: '" + repo + "' is not a hub repository name like " + DEFAULT_REPO);
    }
    if (revision == null || revision.isBlank() || revision.contains("..")) {
      throw new IllegalArgumentException("revision: '" + revision + "' is not a valid revision");
    }
    String scheme = endpoint == null ? null : endpoint.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("endpoint: '" + endpoint + "' is not an http(s) URL");
    }
    if ("http".equals(scheme) && !allowHttp) {
      throw new IllegalArgumentException(
          "endpoint: '"
              + endpoint
              + "' is plain http; use https, or --allow-http for a mirror you trust on a trusted"
              + " network");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: must be >= 1, got " + maxAttempts);
    }
    if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("stallTimeout: must be positive, got " + stallTimeout);
    }
    if (token != null && token.isBlank()) {
      token = null;
    }
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("maxFileBytes: must be >= 1, got " + maxFileBytes);
    }
  }

  /** With the default {@link #maxFileBytes()}. */
  public PullConfig(
      String repo,
      String revision,
      ModelVariant variant,
      Path dir,
      URI endpoint,
      String token,
      int maxAttempts,
      Duration initialBackoff,
      Duration stallTimeout,
      boolean allowHttp) {
    this(
        repo,
        revision,
        variant,
        dir,
        endpoint,
        token,
        maxAttempts,
        initialBackoff,
        stallTimeout,
        allowHttp,
        DEFAULT_MAX_FILE_BYTES);
  }

  /** https only: see {@link #allowHttp()}. */
  public PullConfig(
      String repo,
      String revision,
      ModelVariant variant,
      Path dir,
      URI endpoint,
      String token,
      int maxAttempts,
      Duration initialBackoff,
      Duration stallTimeout) {
    this(
        repo,
        revision,
        variant,
        dir,
        endpoint,
        token,
        maxAttempts,
        initialBackoff,
        stallTimeout,
        false);
  }

  /** Never prints the token, only whether one is set. */
  @Override
  public String toString() {
    return "PullConfig[repo="
        + repo
        + ", revision="
        + revision
        + ", variant="
        + variant
        + ", dir="
        + dir
        + ", endpoint="
        + endpoint
        + ", token="
        + (token == null ? "none" : "(set)")
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", stallTimeout="
        + stallTimeout
        + ", allowHttp="
        + allowHttp
        + ", maxFileBytes="
        + maxFileBytes
        + "]";
  }

  /** {@link #resolve(String, String, ModelVariant, Path, String, Map, boolean)}, https only. */
  public static PullConfig resolve(
      String repo,
      String revision,
      ModelVariant variant,
      Path dir,
      String endpoint,
      Map<String, String> env) {
    return resolve(repo, revision, variant, dir, endpoint, env, false);
  }

  /**
   * Applies the documented defaults: endpoint from the argument, else {@code HF_ENDPOINT}, else
   * huggingface.co; token from {@code HF_TOKEN}; dir from the argument, else {@link
   * #defaultDir(Path, String, String)} under the user's home. 4 attempts starting at 1 s backoff; a
   * transfer silent for 60 s counts as failed.
   */
  public static PullConfig resolve(
      String repo,
      String revision,
      ModelVariant variant,
      Path dir,
      String endpoint,
      Map<String, String> env,
      boolean allowHttp) {
    String ep = endpoint != null ? endpoint : env.getOrDefault(ENV_ENDPOINT, DEFAULT_ENDPOINT);
    URI uri;
    try {
      uri = URI.create(ep.endsWith("/") ? ep.substring(0, ep.length() - 1) : ep);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: '" + ep + "' is not a URL", e);
    }
    Path target =
        dir != null ? dir : defaultDir(Path.of(System.getProperty("user.home")), repo, revision);
    return new PullConfig(
        repo,
        revision,
        variant,
        target,
        uri,
        env.get(ENV_TOKEN),
        4,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        allowHttp);
  }

  /**
   * {@code HOME/.streamsight/models/<owner>--<name>}, plus {@code @<revision>} for anything but
   * main, so pulls of different revisions never mix files. Variants share the directory: their ONNX
   * file names differ and the config/tokenizer files are common.
   */
  public static Path defaultDir(Path home, String repo, String revision) {
    String name = repo.replace("/", "--");
    if (!"main".equals(revision)) {
      name += "@" + revision.replaceAll("[^\\w.-]", "_");
    }
    return home.resolve(".streamsight").resolve("models").resolve(name);
  }

  public PullConfig withRetries(int attempts, Duration backoff) {
    return new PullConfig(
        repo,
        revision,
        variant,
        dir,
        endpoint,
        token,
        attempts,
        backoff,
        stallTimeout,
        allowHttp,
        maxFileBytes);
  }

  /** The same pull with another cap for files of unknown size. */
  public PullConfig withMaxFileBytes(long bytes) {
    return new PullConfig(
        repo,
        revision,
        variant,
        dir,
        endpoint,
        token,
        maxAttempts,
        initialBackoff,
        stallTimeout,
        allowHttp,
        bytes);
  }
}
