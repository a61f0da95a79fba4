package io.streamsight.sinks.connect.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamsight.embedded.kafka.KafkaBroker;
import io.streamsight.sinks.connect.Alerts;
import io.streamsight.sinks.connect.webhook.WebhookConfig;
import io.streamsight.sinks.connect.webhook.WebhookSecret;
import io.streamsight.sinks.connect.webhook.WebhookSinkConnector;
import io.streamsight.testkit.kafka.KafkaBrokerExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's REST API as an attacker on the same machine, or a DNS-rebinding web page, meets it:
 * no credential, a foreign Host, a connector config that would smuggle a secret out through a
 * config provider.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectRestGuardIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private ConnectWorker worker;
  private Path secrets;

  @BeforeAll
  void start(KafkaBroker broker, @TempDir Path dir) throws Exception {
    Alerts.createTopics(broker);
    secrets = dir.resolve("secrets");
    worker =
        ConnectWorker.start(
            WorkerSettings.of(broker.bootstrapServers(), secrets)
                .withListener("127.0.0.1", 0)
                .withGroup("it-guard-" + UUID.randomUUID()));
  }

  @AfterAll
  void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  private HttpResponse<String> call(String method, String path, Object body, String auth)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(worker.restUrl().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token() {
    return RestCredential.read(secrets).orElseThrow().authorization();
  }

  private Map<String, String> webhookConfig(String url) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", WebhookSinkConnector.class.getName());
    c.put("tasks.max", "1");
    c.put("topics", "vlm.alerts");
    c.put(WebhookConfig.URL, url);
    c.put(WebhookConfig.SECRET, WebhookSecret.generate());
    return c;
  }

  @Test
  void theCredentialIsKeptInTheSecretsDirectoryOwnerOnly() throws Exception {
    Path f = RestCredential.file(secrets);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertTrue(Files.readString(f).strip().length() >= 43, "256 bits, base64");
  }

  @Test
  void anUnauthenticatedWriteAnswers401AndChangesNothing() throws Exception {
    HttpResponse<String> r =
        call("PUT", "connectors/intruder/config", webhookConfig("https://example.com/"), null);
    assertEquals(401, r.statusCode(), r.body());
    HttpResponse<String> wrong =
        call(
            "PUT",
            "connectors/intruder/config",
            webhookConfig("https://example.com/"),
            "Bearer not-the-token");
    assertEquals(401, wrong.statusCode(), wrong.body());
    assertEquals(401, call("DELETE", "connectors/anything", null, null).statusCode());
    assertEquals(401, call("PUT", "admin/loggers/root", Map.of("level", "OFF"), null).statusCode());
    // Reads stay open (like the console's): `subscriptions list` needs no credential.
    HttpResponse<String> list = call("GET", "connectors", null, null);
    assertEquals(200, list.statusCode(), list.body());
    assertFalse(list.body().contains("intruder"), list.body());
  }

  @Test
  void aForeignHostHeaderIsRefusedBeforeAnythingRuns() throws Exception {
    URI u = worker.restUrl();
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /connectors HTTP/1.1\r\nHost: rebound.attacker.example:"
                  + u.getPort()
                  + "\r\nAuthorization: "
                  + token()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 421"), answer);
    }
  }

  @Test
  void aConfigProviderInANonSecretKeyIsRefusedNamingTheKey() throws Exception {
    Path stolen = secrets.resolve("someone-else.properties");
    String url = "https://x.example/${file:" + stolen + ":webhook.secret}";
    HttpResponse<String> r = call("PUT", "connectors/smuggler/config", webhookConfig(url), token());
    assertEquals(400, r.statusCode(), r.body());
    JsonNode body = MAPPER.readTree(r.body());
    assertTrue(body.get("message").asText().startsWith("webhook.url: config providers"), r.body());
    Map<String, Object> post = Map.of("name", "smuggler2", "config", webhookConfig(url));
    assertEquals(400, call("POST", "connectors", post, token()).statusCode());
    Map<String, String> viaTopic = webhookConfig("https://x.example/");
    viaTopic.put("errors.deadletterqueue.topic.name", "${env:HOME}");
    HttpResponse<String> t = call("PUT", "connectors/smuggler3/config", viaTopic, token());
    assertEquals(400, t.statusCode(), t.body());
    assertTrue(t.body().contains("errors.deadletterqueue.topic.name"), t.body());
    HttpResponse<String> list = call("GET", "connectors", null, token());
    assertFalse(list.body().contains("smuggler"), list.body());
  }
}
