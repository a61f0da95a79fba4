package io.streamsight.vlm.operator.io;

import io.streamsight.vlm.operator.types.Rejected;
import org.apache.kafka.clients.consumer.ConsumerRecord;

final class Rejections {
  private Rejections() {}

  static Rejected of(ConsumerRecord<byte[], byte[]> r, Exception e) {
    return new Rejected(
        r.topic(),
        r.partition(),
        r.offset(),
        r.key(),
        r.value(),
        e.getClass().getName(),
        String.valueOf(e.getMessage()));
  }
}
