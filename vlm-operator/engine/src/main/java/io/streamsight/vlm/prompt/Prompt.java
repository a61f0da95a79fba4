package io.streamsight.vlm.prompt;

/**
 * A tokenised prompt.
 *
 * @param text the rendered prompt (user text included), for logs and tests
 * @param imageTokens number of image placeholder tokens the vision features will replace
 */
public record Prompt(String text, long[] ids, int imageTokens) {}
