package io.streamsight.deploy.cli;

import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.config.IngestConfig;
import io.streamsight.ingest.frame.JpegEncoder;
import io.streamsight.ingest.frame.JpegEncoders;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.CameraWorker;
import io.streamsight.ingest.run.IngestMetrics;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.ingest.run.ProcessMemory;
import io.streamsight.ingest.source.GrabberSource.SkipMode;
import io.streamsight.ingest.source.SourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avutil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamsight ingest}: cameras and files into {@code cameras.frames}. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Decode cameras or files with FFmpeg, sample to --fps by timestamp, downscale, JPEG-encode,"
          + " compute features and publish to cameras.frames (status to cameras.status).",
      "One camera: --camera ID --source URI (path, file:, rtsp://, http(s)://, v4l2://)."
          + " Many: --config cameras.yaml.",
      "Files exit 0 at end of file with one summary line per camera; live sources run until"
          + " Ctrl-C. Exit 1 if any camera failed, or if a file lost frames Kafka did not accept"
          + " (counted as sendErrors in cameras.status)."
    })
public final class IngestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap, host:port.")
  String bootstrap;

  @Option(names = "--camera", description = "Camera id (Kafka key).")
  String camera;

  @Option(names = "--source", description = "Source URI or file path.")
  String source;

  // A command line is readable by every user of the machine (ps, /proc/PID/cmdline); a camera URL
  // with a password goes in a file only its owner can read ('cluster up' uses this).
  @Option(
      names = "--source-file",
      paramLabel = "FILE",
      description = "Read the source URI from this file (keeps passwords off the command line).")
  Path sourceFile;

  @Option(
      names = "--config",
      description = "cameras.yaml with many cameras (keys: docs/configuration.md).")
  Path config;

  @Option(
      names = "--fps",
      defaultValue = "5",
      description = "Frames kept per second (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(
      names = "--max-edge",
      defaultValue = "1024",
      description =
          "Longest JPEG edge in px (default: ${DEFAULT-VALUE}; at most 1664, so a worst-case"
              + " JPEG fits the cameras.frames message limit).")
  int maxEdge;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "85",
      description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
  int jpegQuality;

  @Option(
      names = "--jpeg-encoder",
      defaultValue = "auto",
      description =
          "JPEG encoder: auto (libjpeg-turbo when installed, else FFmpeg mjpeg), turbojpeg,"
              + " ffmpeg (default: ${DEFAULT-VALUE}).")
  String jpegEncoder;

  @Option(names = "--realtime", description = "Pace a file at its native speed.")
  boolean realtime;

  @Option(
      names = "--skip",
      defaultValue = "auto",
      description = "Decode skipping: none, auto, keyframes (default: ${DEFAULT-VALUE}).")
  String skip;

  @Option(names = "--transport", description = "RTSP transport: tcp (default) or udp.")
  String transport;

  @Option(
      names = "--decode-threads",
      defaultValue = "1",
      description = "FFmpeg decoder threads per camera (default: ${DEFAULT-VALUE}).")
  int decodeThreads;

  @Option(
      names = "--progress",
      defaultValue = "5s",
      description = "Progress line interval on stderr, 0s to disable (default: ${DEFAULT-VALUE}).")
  Duration progress;

  @Option(names = "--ffmpeg-log", description = "Show FFmpeg's own log (info level).")
  boolean ffmpegLog;

  @CommandLine.Mixin MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    List<CameraConfig> cameras = cameras();
    for (CameraConfig c : cameras) {
      JpegEncoders.unavailableReason(c.pipeline().jpegEncoder())
          .ifPresent(
              problem -> {
                throw usage("camera " + c.id() + ": " + problem);
              });
    }
    // FFmpeg logs to stderr natively; keep it to errors unless asked.
    avutil.av_log_set_level(ffmpegLog ? avutil.AV_LOG_INFO : avutil.AV_LOG_ERROR);
    try (KafkaPublisher publisher = KafkaPublisher.standard(bootstrap)) {
      IngestService svc = new IngestService(cameras, publisher::forCamera, Backoff.defaults());
      var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
      IngestMetrics.register(registry, svc, publisher, metrics.labels(spec.commandLine()));
      var endpoint = metrics.start(spec.commandLine(), registry, MetricsOptions.INGEST, System.err);
      Thread hook =
          new Thread(
              () -> {
                svc.stop();
                try {
                  svc.await(null, 1000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "ingest-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      svc.start();
      try {
        svc.await(progress.isZero() ? null : System.err, Math.max(1, progress.toMillis()));
      } finally {
        endpoint.ifPresent(io.streamsight.metrics.MetricsEndpoint::close);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is already running and stops the cameras.
      }
      for (CameraWorker w : svc.workers()) {
        System.out.println(w.summary());
      }
      System.err.println(ProcessMemory.summary());
      for (CameraWorker w : svc.filesWithLostFrames()) {
        System.err.printf(
            "camera %s: %d frames were not accepted by Kafka and are lost (see the warnings above)%n",
            w.config().id(), w.stats().sendErrors());
      }
      return svc.anyFailed() || !svc.filesWithLostFrames().isEmpty() ? 1 : 0;
    }
  }

  private List<CameraConfig> cameras() {
    try {
      if (sourceFile != null) {
        if (source != null) {
          throw usage("give --source or --source-file, not both");
        }
        source = java.nio.file.Files.readString(sourceFile).strip();
      }
      if (config != null) {
        if (camera != null || source != null) {
          throw usage("--config cannot be combined with --camera/--source");
        }
        return IngestConfig.load(config).cameras();
      }
      if (camera == null || source == null) {
        throw usage("give --camera ID --source URI, or --config cameras.yaml");
      }
      Map<String, String> options = new HashMap<>();
      if (transport != null) {
        options.put("transport", transport);
      }
      SkipMode mode = SkipMode.valueOf(skip.toUpperCase(java.util.Locale.ROOT));
      return List.of(
          new CameraConfig(
              camera,
              SourceSpec.parse(source, options),
              new PipelineSettings(
                  fps, maxEdge, jpegQuality, JpegEncoder.Choice.parse(jpegEncoder)),
              realtime,
              mode,
              decodeThreads));
    } catch (CommandLine.ParameterException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw usage(
          e.getMessage().startsWith("No enum constant")
              ? "--skip must be none, auto or keyframes, got '" + skip + "'"
              : e.getMessage());
    } catch (java.io.IOException e) {
      throw usage("cannot read " + (config != null ? config : sourceFile) + ": " + e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
