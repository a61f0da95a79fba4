package io.streamsight.schemas.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;

/**
 * Any scalar (text, number, boolean) as its text, for values passed through to another program
 * rather than read by ours, such as FFmpeg options ({@code buffer_size: 1024000}): there the binder
 * cannot know the type, so it must not reject a number. Use on the component with
 * {@code @JsonDeserialize(contentUsing = ScalarText.class)}; mappings and lists are still rejected.
 */
public final class ScalarText extends StdScalarDeserializer<String> {
  private static final long serialVersionUID = 1L;

  public ScalarText() {
    super(String.class);
  }

  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken().isScalarValue()) {
      return p.getText();
    }
    return (String) ctxt.handleUnexpectedToken(String.class, p);
  }
}
