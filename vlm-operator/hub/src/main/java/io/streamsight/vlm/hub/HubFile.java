package io.streamsight.vlm.hub;

import java.util.OptionalLong;

/**
 * One file of a hub repository as its metadata API describes it.
 *
 * @param path path inside the repo, e.g. {@code onnx/embed_tokens_q4.onnx}
 * @param size size in bytes, or -1 when unknown
 * @param sha256 lowercase hex sha256 (the LFS oid), or null when the hub gives none (small non-LFS
 *     files only carry a git blob sha1, which is not a content sha256)
 */
public record HubFile(String path, long size, String sha256) {
  public OptionalLong knownSize() {
    return size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
  }
}
