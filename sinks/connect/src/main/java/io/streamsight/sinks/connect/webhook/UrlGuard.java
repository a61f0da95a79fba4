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
 *
 * <p>What remains: the HTTP client resolves the name again when it connects; the JVM caches a
 * lookup for 30 s by default ({@code networkaddress.cache.ttl}), so both normally see the same
 * answer, but a resolver that answers differently within that window is not ruled out.
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

  /**
   * Resolves the host and refuses it if any of its addresses is not public.
   *
   * @throws RefusedUrlException naming the address and its class
   * @throws UnknownHostException when the name does not resolve (retriable: DNS may come back)
   */
  public static void check(URI uri, boolean allowPrivate)
      throws RefusedUrlException, UnknownHostException {
    if (allowPrivate) {
      return;
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    for (InetAddress a : InetAddress.getAllByName(host)) {
      String cls = nonPublicClass(a);
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
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if (b0 == 100 && b1 >= 64 && b1 < 128) {
        return "private (carrier-grade NAT)";
      }
      if (b0 == 0 || b0 >= 240) {
        return "reserved";
      }
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "private (unique local)";
      }
      // IPv4-mapped (::ffff:a.b.c.d): judge the IPv4 address it carries.
      boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        try {
          return nonPublicClass(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
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
