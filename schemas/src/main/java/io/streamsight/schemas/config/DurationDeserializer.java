package io.streamsight.schemas.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;

/** Reads {@link Durations}' format; registered for every {@link Duration} the binder reads. */
final class DurationDeserializer extends StdScalarDeserializer<Duration> {
  private static final long serialVersionUID = 1L;

  DurationDeserializer() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.hasToken(JsonToken.VALUE_STRING)) {
      String text = p.getText();
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
      }
    }
    // YAML reads a bare 0 as a number; it is the one number that needs no unit.
    if (p.hasToken(JsonToken.VALUE_NUMBER_INT) && p.getBigIntegerValue().equals(BigInteger.ZERO)) {
      return Duration.ZERO;
    }
    return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
  }
}
