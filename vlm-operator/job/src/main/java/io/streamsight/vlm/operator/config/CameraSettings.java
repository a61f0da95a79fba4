package io.streamsight.vlm.operator.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * What one camera gets once its override (if any) is applied: see {@link OperatorConfig#forCamera}.
 *
 * @param windowSlide the slide of its windows; equal to {@code windowSize} for tumbling windows
 */
public record CameraSettings(
    String instruction, int maxNewTokens, Duration windowSize, Duration windowSlide)
    implements Serializable {}
