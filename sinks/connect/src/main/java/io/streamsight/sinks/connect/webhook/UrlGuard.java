package io.streamsight.sinks.connect.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The SSRF guard: a webhook may only reach public addresses, unless its subscription allows private
 * ones (on-premises receivers). Applied when a subscription is added and again before each
 * delivery, after DNS resolution, because a name can be re-pointed at an internal address later.
 * {@link #resolve} returns the checked address and the sender connects to exactly that address (the
 * original name still goes in {@code Host} and TLS SNI), so there is no second lookup a rebinding
 * resolver could answer differently.
 */
public final class UrlGuard {
  private UrlGuard() {}

  /** Why a URL was refused. */
  public static final class RefusedUrlException extends Exception {
    public RefusedUrlException(String message) {
      super(message);
    }
  }

  /**
   * Checks scheme and host syntax (no DNS).
   *
   * @throws RefusedUrlException naming the problem
   */
  public static URI parse(String url) throws RefusedUrlException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new RefusedUrlException("webhook URL is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedUrlException(
          "webhook URL scheme '" + scheme + "' is not allowed (only http and https)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new RefusedUrlException("webhook URL has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new RefusedUrlException(
          "webhook URL carries user info; receivers authenticate with the signature");
    }
    return uri;
  }

  /** Name to addresses; {@link InetAddress#getAllByName} in production, a table in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;

    Resolver SYSTEM = InetAddress::getAllByName;
  }

  /**
   * Resolves the host and refuses it if any of its addresses is not public.
   *
   * @throws RefusedUrlException naming the address and its class
   * @throws UnknownHostException when the name does not resolve (retriable: DNS may come back)
   */
  public static void check(URI uri, boolean allowPrivate)
      throws RefusedUrlException, UnknownHostException {
    resolve(uri, allowPrivate, Resolver.SYSTEM);
  }

  /**
   * Resolves the host once, refuses it if any of its addresses is not public (unless {@code
   * allowPrivate}), and returns the address to connect to: the first one.
   *
   * @throws RefusedUrlException naming the address and its class
   * @throws UnknownHostException when the name does not resolve (retriable: DNS may come back)
   */
  public static InetAddress resolve(URI uri, boolean allowPrivate, Resolver resolver)
      throws RefusedUrlException, UnknownHostException {
    String host = bareHost(uri);
    InetAddress[] all = resolver.resolve(host);
    if (all == null || all.length == 0) {
      throw new UnknownHostException(host + " has no address");
    }
    for (InetAddress a : all) {
      String cls = allowPrivate ? null : nonPublicClass(a);
      if (cls != null) {
        throw new RefusedUrlException(
            "webhook host "
                + uri.getHost()
                + " resolves to "
                + a.getHostAddress()
                + ", a "
                + cls
                + " address; add the subscription with --allow-private to reach it");
      }
    }
    return all[0];
  }

  /** The host without IPv6 brackets. */
  static String bareHost(URI uri) {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host;
  }

  /** The class of a non-public address ("loopback", "private", ...), or null when public. */
  public static String nonPublicClass(InetAddress a) {
    if (a.isAnyLocalAddress()) {
      return "wildcard (any-local)";
    }
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return nonPublicV4(b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
    }
    if (a instanceof Inet6Address) {
      return nonPublicV6(b);
    }
    return null;
  }

  private static String nonPublicV4(int b0, int b1, int b2) {
    if (b0 == 100 && b1 >= 64 && b1 < 128) {
      return "private (carrier-grade NAT)";
    }
    if (b0 == 0 || b0 >= 240) {
      return "reserved";
    }
    if (b0 == 192 && b1 == 0 && b2 == 0) {
      return "reserved (IETF protocol assignments, 192.0.0.0/24)";
    }
    if (b0 == 198 && (b1 == 18 || b1 == 19)) {
      return "reserved (benchmarking, 198.18.0.0/15)";
    }
    if ((b0 == 192 && b1 == 0 && b2 == 2)
        || (b0 == 198 && b1 == 51 && b2 == 100)
        || (b0 == 203 && b1 == 0 && b2 == 113)) {
      return "reserved (documentation)";
    }
    return null;
  }

  /**
   * IPv6 forms that carry an IPv4 address are judged by that address (IPv4-mapped, NAT64's
   * well-known prefix, 6to4), because a gateway on the way turns them into it; the deprecated
   * IPv4-compatible form and Teredo (whose IPv4 is obfuscated) have no legitimate receivers and are
   * refused outright.
   */
  private static String nonPublicV6(byte[] b) {
    if ((b[0] & 0xfe) == 0xfc) {
      return "private (unique local)";
    }
    if (zero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
      return embedded(b, 12, "IPv4-mapped");
    }
    if (zero(b, 0, 12)) { // :: and ::1 were judged above as wildcard and loopback
      return "reserved (IPv4-compatible, deprecated)";
    }
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
      if (zero(b, 4, 12)) {
        return embedded(b, 12, "NAT64");
      }
      if (b[4] == 0x00 && b[5] == 0x01) {
        return "private (local-use NAT64, 64:ff9b:1::/48)";
      }
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return embedded(b, 2, "6to4");
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {
      return "reserved (Teredo, 2001::/32)";
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8) {
      return "reserved (documentation)";
    }
    if (b[0] == 0x01 && b[1] == 0x00 && zero(b, 2, 8)) {
      return "reserved (discard-only, 100::/64)";
    }
    return null;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The class of the IPv4 address at {@code b[at..at+3]}, named with the form carrying it. */
  private static String embedded(byte[] b, int at, String form) {
    try {
      InetAddress v4 =
          InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]});
      String cls = nonPublicClass(v4);
      return cls == null ? null : cls + " (" + form + " " + v4.getHostAddress() + ")";
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Scheme, host and port only: paths and queries of webhook URLs often carry tokens. */
  public static String origin(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "" : "/…");
  }
}
