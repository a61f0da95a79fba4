package io.streamsight.console.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code Host} header values a console answers to, however it is bound: a web page on another
 * site can point its own name at the console's address (DNS rebinding) and then read it as a
 * same-origin page, so a name the console was not told about is refused (421) on loopback and on
 * {@code --bind} alike. Allowed: localhost, 127.0.0.1 and [::1]; the bind address (for a wildcard
 * bind, every address of this machine's interfaces); and the configured names. Each with the port;
 * without a port a {@code Host} means port 80.
 */
public final class HostAllowList {
  private HostAllowList() {}

  /** The allowed {@code host:port} values, lower case. */
  public static Set<String> of(String bind, int port, List<String> names) throws IOException {
    Set<String> hosts = new TreeSet<>();
    hosts.add("localhost");
    hosts.add("127.0.0.1");
    hosts.add("[::1]");
    InetAddress b = InetAddress.getByName(bind);
    if (b.isAnyLocalAddress()) {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          hosts.add(literal(a));
        }
      }
    } else {
      hosts.add(literal(b));
      if (!bind.matches("[0-9.]+|.*:.*")) {
        hosts.add(bind.toLowerCase(Locale.ROOT)); // bound by name: that name too
      }
    }
    hosts.addAll(names);
    Set<String> out = new TreeSet<>();
    for (String h : hosts) {
      out.add(h + ":" + port);
    }
    return out;
  }

  private static String literal(InetAddress a) {
    String s = a.getHostAddress();
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    return s.contains(":") ? "[" + compress(s) + "]" : s;
  }

  /** The RFC 5952 short form of a full IPv6 literal, as browsers send it ({@code ::1}). */
  static String compress(String v6) {
    String[] g = v6.toLowerCase(Locale.ROOT).split(":", -1);
    if (g.length != 8) {
      return v6.toLowerCase(Locale.ROOT);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && g[j].replaceFirst("^0+", "").isEmpty()) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append(i == 0 ? "::" : ":");
        i += bestLen - 1;
        continue;
      }
      String t = g[i].replaceFirst("^0+(?=.)", "");
      sb.append(t);
      if (i < 7) {
        sb.append(':');
      }
    }
    return sb.toString();
  }

  /** Whether a request's {@code Host} header is one of {@code allowed}. */
  public static boolean allows(Set<String> allowed, String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    boolean hasPort = h.startsWith("[") ? h.contains("]:") : h.contains(":");
    return allowed.contains(hasPort ? h : h + ":80");
  }
}
