package io.streamsight.ingest.source;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes camera credentials from text before it is logged, published ({@code cameras.status} is
 * compacted and kept forever) or put on a command line. The one place that knows what a credential
 * in a source URI looks like.
 *
 * <p>Two rules, applied together:
 *
 * <ul>
 *   <li>every URL in the text ({@code scheme://...} up to whitespace or a quote) loses its
 *       userinfo: everything between {@code ://} and the <em>last</em> {@code @} of the URL becomes
 *       {@code ***}, so passwords containing {@code /}, {@code @} or {@code :} (written unencoded,
 *       as users do) are removed whole. The cost: a URL whose path contains {@code @} also loses
 *       its host in the redacted form; we prefer that to ever printing a password. Query parameters
 *       that usually carry secrets ({@code password=}, {@code token=}, ...) lose their values.
 *   <li>a redactor made {@link #forUri for one source} also replaces that source's userinfo and
 *       password wherever they appear verbatim or percent-decoded, for texts that quote them
 *       outside a URL or cut a URL at a space or quote inside the password.
 * </ul>
 */
public final class Redactor {
  public static final String MASK = "***";

  // scheme:// then the URL up to whitespace, a quote, or angle brackets (how messages delimit it).
  private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>`]*");
  private static final Pattern SECRET_PARAM =
      Pattern.compile(
          "([?&;](?:[^=&#\\s]*(?:pass|pwd|token|secret|key|auth|sig|credential)[^=&#\\s]*)=)"
              + "[^&#\\s]*",
          Pattern.CASE_INSENSITIVE);
  // Shorter known secrets are not replaced verbatim: masking every "ab" would mangle all text.
  // The URL rule still removes them wherever the URL itself appears.
  private static final int MIN_LITERAL = 4;
  private static final Redactor GENERIC = new Redactor(List.of());

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redactor for texts about no particular source: the URL rule only. */
  public static Redactor generic() {
    return GENERIC;
  }

  /** A redactor that also knows {@code uri}'s own userinfo and password. */
  public static Redactor forUri(String uri) {
    if (uri == null) {
      return GENERIC;
    }
    List<String> found = new ArrayList<>();
    // The whole configured URI is one URL, even if its password contains a space or a quote.
    String u = uri.trim();
    int scheme = u.indexOf("://");
    int at = u.lastIndexOf('@');
    if (scheme > 0 && at > scheme + 3) {
      String userinfo = u.substring(scheme + 3, at);
      found.add(userinfo);
      int colon = userinfo.indexOf(':');
      if (colon >= 0) {
        found.add(userinfo.substring(colon + 1));
      }
    }
    Matcher q = SECRET_PARAM.matcher(u);
    while (q.find()) {
      found.add(u.substring(q.end(1), q.end()));
    }
    List<String> secrets = new ArrayList<>();
    for (String s : found) {
      addSecret(secrets, s);
      addSecret(secrets, decode(s));
    }
    // Longest first, so a password inside the userinfo does not leave the user name behind.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(secrets));
  }

  /** {@code uri} with its userinfo and secret query values masked. */
  public static String uri(String uri) {
    return generic().redact(uri);
  }

  /** {@code text} with every credential this redactor knows or recognises masked. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    Matcher m = URL.matcher(out);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(redactUrl(m.group())));
    }
    m.appendTail(b);
    return b.toString();
  }

  /**
   * A copy of {@code t} and its causes whose messages are redacted, with the original stack traces,
   * for logging. The copies are {@link RedactedException}s naming the original class (the original
   * types cannot be re-created in general).
   */
  public Throwable redact(Throwable t) {
    return redact(t, 0);
  }

  private Throwable redact(Throwable t, int depth) {
    if (t == null) {
      return null;
    }
    Throwable cause = depth < 16 && t.getCause() != t ? redact(t.getCause(), depth + 1) : null;
    RedactedException copy =
        new RedactedException(t.getClass().getName(), redact(t.getMessage()), cause);
    copy.setStackTrace(t.getStackTrace());
    for (Throwable s : t.getSuppressed()) {
      if (depth < 16) {
        copy.addSuppressed(redact(s, depth + 1));
      }
    }
    return copy;
  }

  private static String redactUrl(String url) {
    int start = url.indexOf("://") + 3;
    int at = url.lastIndexOf('@');
    String out = at >= start ? url.substring(0, start) + MASK + url.substring(at) : url;
    int query = out.indexOf('?');
    if (query < 0) {
      query = out.indexOf(';');
    }
    if (query >= 0) {
      Matcher q = SECRET_PARAM.matcher(out);
      q.region(query, out.length());
      StringBuilder b = new StringBuilder();
      while (q.find()) {
        q.appendReplacement(b, Matcher.quoteReplacement(q.group(1) + MASK));
      }
      q.appendTail(b);
      out = b.toString();
    }
    return out;
  }

  private static void addSecret(List<String> secrets, String s) {
    if (s != null && s.length() >= MIN_LITERAL && !s.equals(MASK) && !secrets.contains(s)) {
      secrets.add(s);
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // not valid percent-encoding: the raw form is the only form
    }
  }

  /** An exception whose message was redacted; {@link #toString()} names the original class. */
  public static final class RedactedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String originalClass;

    RedactedException(String originalClass, String message, Throwable cause) {
      super(message, cause);
      this.originalClass = originalClass;
    }

    public String originalClass() {
      return originalClass;
    }

    @Override
    public String toString() {
      String m = getLocalizedMessage();
      return m == null ? originalClass : originalClass + ": " + m;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // the original's stack trace is set right after construction
    }
  }

  @Override
  public String toString() {
    return "Redactor(" + secrets.size() + " known secrets)"; // never the secrets themselves
  }
}
