package io.streamsight.deploy.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped monitoring kit: the alerting rules pass {@code promtool check rules} and their unit
 * tests ({@code promtool test rules}); the dashboard is JSON whose panels query metrics we export.
 */
class MonitoringRulesTest {
  static final Path KIT = Path.of("../monitoring");
  static final Path RULES = KIT.resolve("prometheus/streamsight-rules.yml");

  @Test
  void shippedRulesPassPromtoolCheck() throws Exception {
    String out = promtool("check", "rules", RULES.toString());
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void shippedRulesPassTheirPromtoolUnitTests() throws Exception {
    String out =
        promtool("test", "rules", KIT.resolve("prometheus/streamsight-rules.test.yml").toString());
    assertTrue(out.contains("SUCCESS"), out);
  }

  @Test
  void dashboardPanelsQueryStreamsightSeries() throws Exception {
    JsonNode d =
        new ObjectMapper().readTree(KIT.resolve("grafana/streamsight-dashboard.json").toFile());
    int queries = 0;
    for (JsonNode panel : d.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        String expr = t.path("expr").asText();
        assertTrue(
            expr.contains("streamsight_") || expr.contains("flink_") || expr.contains("up{"),
            "panel '" + panel.path("title").asText() + "' queries " + expr);
        queries++;
      }
    }
    assertTrue(queries >= 8, "dashboard panels with queries: " + queries);
  }

  static String promtool(String... args) throws Exception {
    Path promtool = PrometheusServer.binary("promtool");
    assumeTrue(promtool != null, PrometheusServer.PACKAGE_HINT);
    String[] cmd = new String[args.length + 1];
    cmd[0] = promtool.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }

  /** The shipped rules with every {@code for:} shortened to {@code shortFor}, for live tests. */
  static Path rulesWithShortFor(Path dir, String shortFor) throws Exception {
    String rules = Files.readString(RULES).replaceAll("for: \\d+[smh]", "for: " + shortFor);
    return Files.writeString(dir.resolve("streamsight-rules-test-copy.yml"), rules);
  }
}
