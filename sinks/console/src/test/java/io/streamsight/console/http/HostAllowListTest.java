package io.streamsight.console.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HostAllowListTest {
  @Test
  void aConsoleBoundToAnAddressAnswersItsAddressLocalhostAndConfiguredNamesOnly() throws Exception {
    Set<String> allowed = HostAllowList.of("127.0.0.2", 8080, List.of("console.example.lan"));

    assertTrue(HostAllowList.allows(allowed, "127.0.0.2:8080"));
    assertTrue(HostAllowList.allows(allowed, "LOCALHOST:8080"));
    assertTrue(HostAllowList.allows(allowed, "[::1]:8080"));
    assertTrue(HostAllowList.allows(allowed, "console.example.lan:8080"));
    assertFalse(HostAllowList.allows(allowed, "evil.example:8080"), "a rebinding page's name");
    assertFalse(HostAllowList.allows(allowed, "console.example.lan:9090"), "another port");
    assertFalse(HostAllowList.allows(allowed, "console.example.lan"), "no port means 80");
    assertFalse(HostAllowList.allows(allowed, null));
    assertFalse(HostAllowList.allows(allowed, ""));
  }

  @Test
  void aWildcardBindAnswersEveryAddressOfThisMachine() throws Exception {
    Set<String> allowed = HostAllowList.of("0.0.0.0", 80, List.of());

    assertTrue(HostAllowList.allows(allowed, "127.0.0.1"), "port 80 may be left out");
    assertFalse(HostAllowList.allows(allowed, "0.0.0.0:80"));
    assertFalse(HostAllowList.allows(allowed, "attacker.example"));
  }

  @Test
  void ipv6LiteralsAreComparedInTheirShortForm() {
    assertEquals("::1", HostAllowList.compress("0:0:0:0:0:0:0:1"));
    assertEquals("fe80::abcd:0:0:1", HostAllowList.compress("fe80:0:0:0:abcd:0:0:1"));
    assertEquals("2001:db8::", HostAllowList.compress("2001:db8:0:0:0:0:0:0"));
  }
}
