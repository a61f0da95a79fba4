/**
 * Turns a camera's window summaries into a timeline people read: consecutive windows that say the
 * same thing become one event with a start and an end, windows with nothing new fold into the event
 * they continue, and a short narrative can be asked of the model in text-only mode. No Flink, no
 * Kafka: the one-shot {@code streamsight summarize} and the operator's rolling digests share these
 * classes.
 */
package io.streamsight.vlm.timeline;
