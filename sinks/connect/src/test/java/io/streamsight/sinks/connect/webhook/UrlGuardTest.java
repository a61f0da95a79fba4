package io.streamsight.sinks.connect.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlGuardTest {

  private static String cls(String literal) throws Exception {
    return UrlGuard.nonPublicClass(InetAddress.getByName(literal));
  }

  @Test
  void namesTheClassOfEveryNonPublicAddress() throws Exception {
    assertEquals("loopback", cls("127.0.0.1"));
    assertEquals("loopback", cls("::1"));
    assertEquals("private", cls("10.1.2.3"));
    assertEquals("private", cls("172.16.0.1"));
    assertEquals("private", cls("192.168.1.1"));
    assertEquals("link-local", cls("169.254.169.254"));
    assertEquals("link-local", cls("fe80::1"));
    assertEquals("multicast", cls("224.0.0.1"));
    assertEquals("multicast", cls("ff02::1"));
    assertEquals("wildcard (any-local)", cls("0.0.0.0"));
    assertEquals("private (unique local)", cls("fd00::1"));
    assertEquals("private (carrier-grade NAT)", cls("100.64.0.1"));
    assertEquals("private", cls("::ffff:10.0.0.1"));
    assertNull(cls("93.184.215.14"));
    assertNull(cls("2606:4700::1111"));
  }

  @Test
  void refusesOtherSchemesAndUserInfo() {
    assertThrows(UrlGuard.RefusedUrlException.class, () -> UrlGuard.parse("ftp://example.com/"));
    assertThrows(UrlGuard.RefusedUrlException.class, () -> UrlGuard.parse("file:///etc/passwd"));
    assertThrows(
        UrlGuard.RefusedUrlException.class, () -> UrlGuard.parse("https://u:p@example.com/"));
  }

  @Test
  void refusesAPrivateHostUnlessAllowed() throws Exception {
    URI u = UrlGuard.parse("http://127.0.0.1:9/hook");
    UrlGuard.RefusedUrlException e =
        assertThrows(UrlGuard.RefusedUrlException.class, () -> UrlGuard.check(u, false));
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    UrlGuard.check(u, true);
  }

  @Test
  void originDropsPathAndQueryWhichMayHoldTokens() {
    assertEquals(
        "https://hooks.example.com/…",
        UrlGuard.origin(URI.create("https://hooks.example.com/services/T000/B000/XXXX?token=1")));
  }
}
