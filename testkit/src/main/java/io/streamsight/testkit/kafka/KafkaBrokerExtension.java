package io.streamsight.testkit.kafka;

import io.streamsight.embedded.kafka.BrokerConfig;
import io.streamsight.embedded.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: injects a real {@link KafkaBroker} into test constructors, methods and lifecycle
 * methods. One broker serves every test class of a test JVM (starting one costs seconds); it is
 * stopped and its data deleted when the JVM's tests end. Tests use their own topic names or
 * consumer groups so they do not see each other's records.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return e.getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class)
        .broker;
  }

  private static final class SharedBroker implements ExtensionContext.Store.CloseableResource {
    private final KafkaBroker broker;
    private final Path dir;

    private SharedBroker(KafkaBroker broker, Path dir) {
      this.broker = broker;
      this.dir = dir;
    }

    static SharedBroker start() {
      try {
        Path dir = Files.createTempDirectory("streamsight-kafka-it");
        return new SharedBroker(KafkaBroker.start(BrokerConfig.singleNode(0, dir)), dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      broker.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
