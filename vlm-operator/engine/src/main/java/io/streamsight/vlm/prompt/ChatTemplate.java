package io.streamsight.vlm.prompt;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the model directory's own Jinja chat template for one user turn (images first, then the
 * text) with the generation prompt, the way transformers' {@code apply_chat_template} does
 * (trim_blocks and lstrip_blocks on).
 */
public final class ChatTemplate {
  private final String template;
  private final Jinjava jinjava;

  public ChatTemplate(String template) {
    this.template = template;
    this.jinjava =
        new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true).build());
  }

  /** Renders with {@code text} inserted verbatim (it is not template source). */
  public String render(int images, String text) {
    List<Map<String, Object>> content = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      content.add(Map.of("type", "image"));
    }
    content.add(Map.of("type", "text", "text", text));
    Map<String, Object> bindings = new HashMap<>();
    bindings.put("messages", List.of(Map.of("role", "user", "content", content)));
    bindings.put("add_generation_prompt", true);
    return jinjava.render(template, bindings);
  }
}
