package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.streamsight.sinks.connect.payload.Notification;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https receiver reached at the checked address: the TLS handshake names the original host (SNI)
 * and the certificate is checked against that name, not against the IP literal the request is sent
 * to. A certificate for another name still fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PinnedTlsTest {
  static {
    PinnedHttp.enable();
  }

  private static final char[] PASS = "changeit".toCharArray();
  private HttpsServer server;
  private javax.net.ssl.TrustManager[] trust;
  private final List<String> hosts = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path ks = dir.resolve("receiver.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "receiver",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=receiver.test",
                "-ext",
                "SAN=dns:receiver.test",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                new String(PASS))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASS);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store); // the receiver's certificate is the only trusted one
    trust = tmf.getTrustManagers();

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext(
        "/",
        x -> {
          hosts.add(x.getRequestHeaders().getFirst("Host"));
          x.getRequestBody().readAllBytes();
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    server.start();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private Delivery send(String host) {
    int port = server.getAddress().getPort();
    WebhookConfig c =
        WebhookConfig.parse(
            Map.of(
                WebhookConfig.URL,
                "https://" + host + ":" + port + "/hook",
                WebhookConfig.SECRET,
                WebhookSecret.generate(),
                WebhookConfig.ALLOW_PRIVATE,
                "true"));
    UrlGuard.Resolver table = h -> new InetAddress[] {InetAddress.getLoopbackAddress()};
    try (WebhookSender s = new WebhookSender(c, Clock.systemUTC(), table, trust)) {
      return s.send(new Notification("alert", "a-1", "door", new byte[] {'{', '}'}, null, null));
    }
  }

  @Test
  void anHttpsReceiverAtTheCheckedAddressIsVerifiedAgainstItsOriginalName() {
    Delivery d = send("receiver.test");
    assertEquals(Delivery.Kind.DELIVERED, d.kind(), d.detail());
    assertEquals("receiver.test:" + server.getAddress().getPort(), hosts.get(hosts.size() - 1));
  }

  @Test
  void aCertificateForAnotherNameStillFailsTheHandshakeEvenAfterItsNameWasVerified() {
    // The same address and port just had a verified session: it must not be resumed for
    // another name (sessions are cached by the peer, here the IP literal).
    assertEquals(Delivery.Kind.DELIVERED, send("receiver.test").kind());
    Delivery d = send("other.test");
    assertEquals(Delivery.Kind.RETRY, d.kind(), d.detail());
    assertTrue(d.detail().contains("SSLHandshakeException"), d.detail());
  }
}
