package io.streamsight.deploy.cli;

import io.streamsight.deploy.bench.capacity.CapacityBenchmark;
import io.streamsight.vlm.fixture.VlmFixtureModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight bench capacity}: cameras per machine at the alert bound. */
@Command(
    name = "capacity",
    mixinStandardHelpOptions = true,
    description = {
      "How many cameras this machine carries at the alert bound: for each N, a fresh broker,"
          + " sampler and operator (separate processes, shipped defaults) fed N live cameras of"
          + " pre-encoded 640x360 frames (mostly static, one short event per camera per period)"
          + " straight to cameras.frames. One JSON line per N: alert and summary latency, shed"
          + " windows, CPU-ms per frame and cores per stage, RSS/heap, broker bytes, lags, and"
          + " the stage that saturated.",
    })
final class CapacityBenchCommand implements Callable<Integer> {
  @Option(
      names = "--cameras",
      split = ",",
      defaultValue = "16,50,100,200,400,500,700",
      description = "Camera counts to run, ascending (default: ${DEFAULT-VALUE}).")
  List<Integer> cameras;

  @Option(
      names = "--fps",
      defaultValue = "5",
      description = "Frames per second per camera (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(
      names = "--warmup",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "Load before measuring (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--duration",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Measured time per N (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--event-period",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Each camera has one event per period (default: ${DEFAULT-VALUE}).")
  Duration eventPeriod;

  @Option(
      names = "--event-length",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description = "How long an event's scene lasts (default: ${DEFAULT-VALUE}).")
  Duration eventLength;

  @Option(
      names = "--samplers",
      defaultValue = "1",
      description = "Sampler instances (the scale-out knob; default: ${DEFAULT-VALUE}).")
  int samplers;

  @Option(names = "--model", description = "Model directory (default: the fixture model).")
  Path model;

  @Option(names = "--keep-going", description = "Run every N even after one breaks the bound.")
  boolean keepGoing;

  @Option(names = "--data", description = "Working directory (default: a temporary one).")
  Path data;

  @Override
  public Integer call() throws Exception {
    Path dir = data != null ? Files.createDirectories(data) : Files.createTempDirectory("capacity");
    Path m = model != null ? model : VlmFixtureModel.write(dir.resolve("fixture-model"));
    new CapacityBenchmark(
            cameras.stream().sorted().toList(),
            fps,
            warmup,
            duration,
            eventPeriod,
            eventLength,
            samplers,
            m,
            dir,
            keepGoing,
            System.out)
        .run();
    return 0;
  }
}
