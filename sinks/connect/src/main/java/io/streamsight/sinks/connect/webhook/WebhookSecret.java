package io.streamsight.sinks.connect.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A subscription's signing key in the Standard Webhooks form {@code whsec_<base64 key>}, and the
 * signature that specification defines: {@code v1,} + base64(HMAC-SHA256(key, id + "." + timestamp
 * + "." + body)). The key never appears in {@link #toString}.
 */
public final class WebhookSecret {
  public static final String PREFIX = "whsec_";
  private static final int GENERATED_KEY_BYTES = 32;

  /** Shorter keys are guessable; the Standard Webhooks libraries generate 24 to 64 bytes. */
  private static final int MIN_KEY_BYTES = 16;

  private final SecretKeySpec key;

  private WebhookSecret(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * Parses {@code whsec_<base64>}.
   *
   * @throws IllegalArgumentException saying what is wrong, never echoing the value
   */
  public static WebhookSecret parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "the webhook secret must look like " + PREFIX + "<base64 key>");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.substring(PREFIX.length()).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the webhook secret after " + PREFIX + " is not valid base64");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the webhook secret's key is "
              + key.length
              + " bytes; use at least "
              + MIN_KEY_BYTES
              + " (subscriptions add generates one when --secret is left out)");
    }
    return new WebhookSecret(key);
  }

  /** A new random secret in the {@code whsec_} form. */
  public static String generate() {
    byte[] key = new byte[GENERATED_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} header value for one delivery attempt. */
  public String sign(String id, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return PREFIX + "[hidden]";
  }
}
