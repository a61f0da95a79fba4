package io.streamsight.console.subscriptions;

/**
 * One subscription as the page lists it. {@code target} must already be safe to show: a webhook URL
 * without credentials or query secrets, an MQTT broker without its password.
 *
 * @param kind e.g. {@code webhook}, {@code mqtt}
 * @param state e.g. {@code RUNNING}, {@code PAUSED}, {@code FAILED}
 * @param detail the last error or other status text, or null
 */
public record SubscriptionView(
    String name, String kind, String target, String state, String detail) {}
