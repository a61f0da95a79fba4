package io.streamsight.console.live;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change the page shows as it happens: {@code summary}, {@code alert}, {@code status}, {@code
 * keyframe}, {@code rule}, {@code answer}. {@code data} is the record in the JSON shape of {@code
 * tail --json} (for {@code keyframe}: the camera id and the keyframe's reference; for {@code rule}:
 * the id and the rule, null when it was deleted).
 */
public record LiveEvent(String type, JsonNode data) {}
