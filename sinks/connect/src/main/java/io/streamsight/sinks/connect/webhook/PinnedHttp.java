package io.streamsight.sinks.connect.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How a request goes to the address the SSRF guard checked rather than to whatever a second DNS
 * lookup answers: the request URI names the checked IP literal, the original {@code host[:port]}
 * goes in the {@code Host} header, and for https the original name goes in TLS SNI, where the JDK's
 * trust manager also checks the certificate against it (it prefers the SNI name to the peer address
 * for endpoint identification).
 *
 * <p>The JDK HTTP client refuses a user {@code Host} header unless the system property {@code
 * jdk.httpclient.allowRestrictedHeaders} contains {@code host}, and reads that property once, when
 * its first request is built. {@link #enable} sets it (if unset) and is called by the Connect
 * worker before anything in its JVM builds a request; the launcher also passes it. When it came too
 * late, {@link #available} is false and the sender falls back to connecting by name after the check
 * (a rebinding window of one DNS cache lifetime), logging that once.
 */
public final class PinnedHttp {
  static final String PROPERTY = "jdk.httpclient.allowRestrictedHeaders";

  private PinnedHttp() {}

  /** Lets this JVM's HTTP client send a {@code Host} header, if nothing decided otherwise. */
  public static void enable() {
    String v = System.getProperty(PROPERTY);
    if (v == null || v.isBlank()) {
      System.setProperty(PROPERTY, "host");
    } else if (!v.toLowerCase(java.util.Locale.ROOT).contains("host")) {
      System.setProperty(PROPERTY, v + ",host");
    }
  }

  /** Whether a request may carry its own {@code Host} header in this JVM. */
  public static boolean available() {
    enable();
    try {
      HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("Host", "probe");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code url} with its host replaced by the literal of {@code address}. */
  static URI pinned(URI url, InetAddress address) {
    String literal =
        address instanceof Inet6Address
            ? "[" + stripScope(address.getHostAddress()) + "]"
            : address.getHostAddress();
    try {
      return new URI(
          url.getScheme()
              + "://"
              + literal
              + (url.getPort() >= 0 ? ":" + url.getPort() : "")
              + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
              + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot pin " + UrlGuard.origin(url), e);
    }
  }

  /** The {@code Host} header value of the original URL: its host and explicit port. */
  static String hostHeader(URI url) {
    return url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
  }

  /**
   * TLS parameters naming the original host in SNI (so the certificate is checked against it), or
   * null for plain http or an IP-literal host.
   */
  static SSLParameters sslParameters(URI url, SSLContext context) {
    String host = UrlGuard.bareHost(url);
    if (!"https".equalsIgnoreCase(url.getScheme()) || isLiteral(host)) {
      return null;
    }
    SSLParameters p = context.getDefaultSSLParameters();
    p.setServerNames(List.of(new SNIHostName(host)));
    return p;
  }

  static boolean isLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  private static String stripScope(String v6) {
    int i = v6.indexOf('%');
    return i < 0 ? v6 : v6.substring(0, i);
  }
}
