package io.streamsight.vlm.hub;

import java.util.OptionalLong;

/**
 * One file of a hub repository as its metadata API describes it.
 *
 * @param path path inside the repo, e.g. {@code onnx/embed_tokens_q4.onnx}
 * @param size size in bytes, or -1 when unknown
 * @param sha256 lowercase hex sha256 (the LFS oid), or null when the hub gives none
 * @param gitSha1 lowercase hex git blob id of a non-LFS file (sha1 of {@code "blob <size>\0"} and
 *     the content), or null; for LFS files the hub's blob id is the pointer's, so it is not kept
 */
public record HubFile(String path, long size, String sha256, String gitSha1) {
  public HubFile(String path, long size, String sha256) {
    this(path, size, sha256, null);
  }

  public OptionalLong knownSize() {
    return size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
  }

  /** Whether the metadata carries a checksum of the content (sha256 or git blob id). */
  public boolean hasChecksum() {
    return sha256 != null || gitSha1 != null;
  }
}
