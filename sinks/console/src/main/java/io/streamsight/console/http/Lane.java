package io.streamsight.console.http;

/**
 * Which thread pool serves a route. Each lane has its own threads and its own bounded queue (a full
 * queue answers 503), so a flood of one kind of request cannot take the threads of another.
 */
public enum Lane {
  /** Health and metrics: tiny answers a probe must always get. */
  CONTROL,
  /** Pages, the live snapshot, cameras, alerts, rules, questions, writes. */
  ORDINARY,
  /** Search, keyframe and thumbnail images, subscriptions: slower, may wait on Kafka or disk. */
  HEAVY,
  /** Live streams (server-sent events): each holds its thread as long as it is open. */
  STREAM
}
