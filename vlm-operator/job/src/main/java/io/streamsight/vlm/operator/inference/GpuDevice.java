package io.streamsight.vlm.operator.inference;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Which GPU this TaskManager's engine runs on. A TaskManager configured with Flink's GPU external
 * resource ({@code external-resources: gpu}, see deploy/k8s) is told the indices of its GPUs; the
 * engine takes the lowest. Without that resource (local runs, CPU clusters) it is GPU 0, which is
 * also what CUDA would pick by itself.
 *
 * @param source where the index came from, for the log line
 */
public record GpuDevice(int index, String source) {
  /** The external resource name the k8s manifest declares. */
  public static final String RESOURCE = "gpu";

  /** The GPU of the TaskManager running {@code ctx}. */
  public static GpuDevice of(RuntimeContext ctx) {
    Collection<ExternalResourceInfo> infos;
    try {
      infos = ctx.getExternalResourceInfos(RESOURCE);
    } catch (UnsupportedOperationException e) {
      // test harnesses' contexts have no external resources
      return new GpuDevice(0, "default: this runtime context offers no external resources");
    }
    return from(infos);
  }

  static GpuDevice from(Collection<ExternalResourceInfo> infos) {
    List<Integer> indices =
        infos.stream()
            .map(i -> i.getProperty("index"))
            .flatMap(Optional::stream)
            .map(String::trim)
            .filter(s -> s.matches("\\d+"))
            .map(Integer::valueOf)
            .sorted()
            .toList();
    if (indices.isEmpty()) {
      return new GpuDevice(
          0, "default: no GPU index from a Flink external resource '" + RESOURCE + "'");
    }
    return new GpuDevice(
        indices.get(0), "Flink external resource '" + RESOURCE + "', indices " + indices);
  }
}
