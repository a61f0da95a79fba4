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
  void refusesIpv4CompatibleIpv6WhateverItCarries() throws Exception {
    assertTrue(cls("::10.0.0.1").startsWith("reserved (IPv4-compatible"), cls("::10.0.0.1"));
    assertTrue(cls("::127.0.0.1").startsWith("reserved (IPv4-compatible"));
    assertTrue(cls("::93.184.215.14").startsWith("reserved (IPv4-compatible"));
  }

  @Test
  void judgesNat64ByTheIpv4ItCarries() throws Exception {
    assertEquals("loopback (NAT64 127.0.0.1)", cls("64:ff9b::127.0.0.1"));
    assertEquals("private (NAT64 10.1.2.3)", cls("64:ff9b::a01:203"));
    assertEquals("link-local (NAT64 169.254.169.254)", cls("64:ff9b::169.254.169.254"));
    assertNull(cls("64:ff9b::93.184.215.14"));
    assertEquals("private (local-use NAT64, 64:ff9b:1::/48)", cls("64:ff9b:1::a01:203"));
  }

  @Test
  void judges6to4ByTheIpv4ItCarries() throws Exception {
    assertEquals("private (6to4 192.168.1.1)", cls("2002:c0a8:101::1"));
    assertEquals("loopback (6to4 127.0.0.1)", cls("2002:7f00:1::"));
    assertEquals("link-local (6to4 169.254.169.254)", cls("2002:a9fe:a9fe::1"));
    assertNull(cls("2002:5db8:d70e::1"));
  }

  @Test
  void refusesTheIetfProtocolAndBenchmarkingRanges() throws Exception {
    assertEquals("reserved (IETF protocol assignments, 192.0.0.0/24)", cls("192.0.0.8"));
    assertEquals("reserved (benchmarking, 198.18.0.0/15)", cls("198.18.0.1"));
    assertEquals("reserved (benchmarking, 198.18.0.0/15)", cls("198.19.255.254"));
    assertNull(cls("198.20.0.1"));
    assertNull(cls("192.0.1.1"));
    assertEquals("reserved (documentation)", cls("192.0.2.1"));
    assertEquals("reserved (Teredo, 2001::/32)", cls("2001:0:4136:e378:8000:63bf:3fff:fdd2"));
  }

  @Test
  void resolvesOnceAndReturnsTheCheckedAddress() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    InetAddress pub = InetAddress.getByName("93.184.215.14");
    UrlGuard.Resolver r =
        host -> {
          calls.incrementAndGet();
          return new InetAddress[] {pub};
        };
    assertEquals(pub, UrlGuard.resolve(URI.create("https://hooks.example.com/x"), false, r));
    assertEquals(1, calls.get());
    UrlGuard.Resolver mixed =
        host -> new InetAddress[] {pub, InetAddress.getByName("64:ff9b::10.0.0.1")};
    UrlGuard.RefusedUrlException e =
        assertThrows(
            UrlGuard.RefusedUrlException.class,
            () -> UrlGuard.resolve(URI.create("https://hooks.example.com/x"), false, mixed));
    assertTrue(e.getMessage().contains("NAT64 10.0.0.1"), e.getMessage());
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
