package io.streamsight.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamsight.deploy.cluster.ClusterSpec.KafkaNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every listener of the local cluster is on loopback unless {@code up --bind} says otherwise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BindingConfigTest {
  @TempDir Path dir;

  private static ClusterSpec spec(String bind) {
    return new ClusterSpec(
        "abc", List.of(new KafkaNode(1, 9101, 9201)), 6123, 8081, 1, 1, "768m", "1280m", bind);
  }

  @Test
  void byDefaultEveryFlinkListenerIsOnLoopback() {
    Map<String, String> s = new FlinkConf(spec(null), new ClusterLayout(dir)).settings();
    for (String key :
        List.of(
            "jobmanager.rpc.address",
            "jobmanager.bind-host",
            "rest.address",
            "rest.bind-address",
            "taskmanager.host",
            "taskmanager.bind-host")) {
      assertEquals("127.0.0.1", s.get(key), key);
    }
    var broker = new ClusterProcesses(spec(null), new ClusterLayout(dir)).brokers().get(0);
    assertFalse(broker.args().contains("--bind"), broker.args().toString());
  }

  @Test
  void theGeneratedFlinkConfigTurnsJarUploadsOff() {
    for (String bind : new String[] {null, "0.0.0.0"}) {
      Map<String, String> s = new FlinkConf(spec(bind), new ClusterLayout(dir)).settings();
      assertEquals("false", s.get("web.submit.enable"), "bind " + bind);
    }
  }

  @Test
  void bindOpensOnlyRestAndKafkaClientListeners() {
    ClusterSpec open = spec("0.0.0.0");
    Map<String, String> s = new FlinkConf(open, new ClusterLayout(dir)).settings();
    assertEquals("0.0.0.0", s.get("rest.bind-address"));
    assertEquals("127.0.0.1", s.get("rest.address"), "local clients still use loopback");
    assertEquals("127.0.0.1", s.get("jobmanager.bind-host"));
    assertEquals("127.0.0.1", s.get("taskmanager.bind-host"));
    String args =
        String.join(
            " ", new ClusterProcesses(open, new ClusterLayout(dir)).brokers().get(0).args());
    assertTrue(args.contains("--bind 0.0.0.0"), args);
    assertEquals("127.0.0.1:9101", open.bootstrapServers());

    ClusterSpec one = spec("192.168.7.7");
    assertEquals("192.168.7.7:9101", one.bootstrapServers(), "bound to one address: use it");
    assertEquals("http://192.168.7.7:8081", one.flinkRestUrl());
  }

  @Test
  void theBindAddressIsKeptInClusterPropertiesAndOldFilesMeanLoopback() {
    ClusterLayout layout = new ClusterLayout(dir);
    layout.saveSpec(spec("0.0.0.0"));
    assertEquals("0.0.0.0", layout.loadSpec().orElseThrow().bindAddress());
    var p = spec("0.0.0.0").toProperties();
    p.remove("bind.address");
    assertEquals("127.0.0.1", ClusterSpec.fromProperties(p).bindAddress());
  }
}
