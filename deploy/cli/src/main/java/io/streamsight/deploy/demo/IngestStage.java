package io.streamsight.deploy.demo;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.streamsight.ingest.config.CameraConfig;
import io.streamsight.ingest.frame.PipelineSettings;
import io.streamsight.ingest.run.Backoff;
import io.streamsight.ingest.run.IngestMetrics;
import io.streamsight.ingest.run.IngestService;
import io.streamsight.ingest.run.KafkaPublisher;
import io.streamsight.ingest.source.Redactor;
import io.streamsight.metrics.CameraLabels;
import java.util.List;

/** One camera ingested in-process; files are paced at their native speed so the feed is live. */
final class IngestStage implements Stage {
  private final String bootstrap;
  private final String cameraId;
  private final String uri;
  private KafkaPublisher publisher;
  private IngestService service;
  private final PrometheusRegistry registry;

  /** {@code registry}: where its metrics go, or null for none. */
  IngestStage(String bootstrap, String cameraId, String uri, PrometheusRegistry registry) {
    this.bootstrap = bootstrap;
    this.cameraId = cameraId;
    this.uri = uri;
    this.registry = registry;
  }

  @Override
  public String name() {
    return "ingest of " + Redactor.uri(uri) + " as " + cameraId;
  }

  @Override
  public void start() {
    publisher = KafkaPublisher.standard(bootstrap);
    CameraConfig camera =
        CameraConfig.of(cameraId, uri, PipelineSettings.defaults().withFps(2)).withRealtime(true);
    service = new IngestService(List.of(camera), publisher::forCamera, Backoff.defaults());
    if (registry != null) {
      IngestMetrics.register(registry, service, publisher, new CameraLabels());
    }
    service.start();
  }

  @Override
  public void close() {
    if (service != null) {
      service.stop();
      try {
        service.await(null, 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (publisher != null) {
      publisher.close();
    }
  }
}
