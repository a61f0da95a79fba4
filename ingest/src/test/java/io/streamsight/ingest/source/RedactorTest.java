package io.streamsight.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "p@ss/w:rd",
        "s3cr3t",
        "a:b:c",
        "x@y@z",
        "/leading/slash",
        "p%40ss%2Fw%3Ard",
        "trailing@",
        "sp ace\"quote"
      })
  void removesTrickyPasswordsFromUrisAndMessages(String password) {
    String uri = "rtsp://user:" + password + "@host:554/x";
    Redactor r = Redactor.forUri(uri);

    assertEquals("rtsp://***@host:554/x", r.redact(uri));
    String ffmpeg =
        "avformat_open_input() error -111: Could not open input \""
            + uri
            + "\". (Connection refused)";
    String redacted = r.redact(ffmpeg);
    assertFalse(redacted.contains(password), redacted);
    assertTrue(redacted.contains("rtsp://***@host:554/x"), redacted);
  }

  @Test
  void theGenericRuleNeedsNoKnownUri() {
    String text = "open rtsp://user:p@ss/w:rd@host:554/x failed; retry http://a:b@cam/mjpg";
    assertEquals(
        "open rtsp://***@host:554/x failed; retry http://***@cam/mjpg",
        Redactor.generic().redact(text));
  }

  @Test
  void urisWithoutCredentialsAreUnchanged() {
    for (String u :
        new String[] {"rtsp://10.0.0.5:554/s1", "/data/clip.mp4", "http://cam/live.m3u8", ""}) {
      assertEquals(u, Redactor.uri(u));
    }
  }

  @Test
  void secretQueryParametersLoseTheirValues() {
    assertEquals(
        "http://cam/video.cgi?user=admin&password=***&res=hd&token=***",
        Redactor.uri("http://cam/video.cgi?user=admin&password=hunter22&res=hd&token=abc.def"));
  }

  @Test
  void aKnownPasswordIsMaskedEvenOutsideAUrl() {
    Redactor r = Redactor.forUri("rtsp://admin:Tr0ub4dor@cam/1");
    assertEquals(
        "auth failed for admin with ***", r.redact("auth failed for admin with Tr0ub4dor"));
    // percent-decoded form too
    Redactor enc = Redactor.forUri("rtsp://admin:p%40ssw0rd@cam/1");
    assertEquals("sent ***", enc.redact("sent p@ssw0rd"));
  }

  @Test
  void exceptionChainsAreCopiedWithRedactedMessagesAndTheirStackTraces() {
    String uri = "rtsp://u:p@ss/w:rd@127.0.0.1:9/x";
    IOException root = new IOException("connect " + uri);
    RuntimeException top = new RuntimeException("open " + uri, root);
    Throwable copy = Redactor.forUri(uri).redact(top);

    StringWriter printed = new StringWriter();
    copy.printStackTrace(new PrintWriter(printed));
    assertFalse(printed.toString().contains("p@ss/w:rd"), printed.toString());
    assertTrue(printed.toString().contains("java.io.IOException: connect rtsp://***@127.0.0.1"));
    assertEquals(top.getStackTrace().length, copy.getStackTrace().length);
  }

  @Test
  void sourceSpecPrintsNoCredentials() {
    SourceSpec s = SourceSpec.parse("rtsp://user:p@ss/w:rd@host:554/x");
    assertEquals("rtsp://***@host:554/x", s.redactedInput());
    assertFalse(s.toString().contains("p@ss"), s.toString());
  }

  @Test
  void sourceExceptionsRedactEvenWhenTheCallerForgot() {
    SourceException e =
        new SourceException(
            "rtsp://a:b@c/d", "could not open rtsp://a:secret@c/d", true, new IOException("x"));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertEquals("rtsp://***@c/d", e.source());
  }
}
