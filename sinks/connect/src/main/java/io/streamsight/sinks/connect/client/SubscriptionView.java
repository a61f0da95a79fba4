package io.streamsight.sinks.connect.client;

/**
 * A subscription as {@code subscriptions list} and {@code status} show it: no secret, and a webhook
 * URL cut to scheme, host and port (paths of webhook URLs often carry tokens).
 *
 * @param state the connector's Connect state (RUNNING, FAILED, PAUSED, UNASSIGNED, ...)
 * @param taskStates one state per task; a FAILED one with {@code trace}'s first line in lastError
 * @param stats delivery counters, or null when the worker has none (task not running there)
 */
public record SubscriptionView(
    String id,
    Subscription.Kind kind,
    String target,
    String cameraGlob,
    String minSeverity,
    String topics,
    boolean allowPrivate,
    String deadLetterTopic,
    String state,
    String taskStates,
    Stats stats,
    String taskError) {

  /** Counters from the worker's {@code /streamsight/subscriptions/{id}/stats}. */
  public record Stats(
      long delivered,
      long filtered,
      long retrying,
      long deadLettered,
      String lastError,
      String lastErrorAt) {}
}
