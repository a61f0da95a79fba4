package io.streamsight.console.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes the live view's records take, and the order to forget them in. A record (its JSON size
 * measured once) may sit in several lists at once (a camera's summaries and the feed); it counts
 * once, from the first list that holds it until the last lets it go. Beyond the budget the oldest
 * record leaves every list that holds it. Not thread-safe: {@link LiveState}'s lock guards it.
 *
 * <p>The budget is in bytes of JSON text; the heap holds the parsed trees, a few times that.
 */
final class RetainedRecords {
  /** One record and where it is held. */
  static final class Entry {
    final long size;
    final List<JsonNode> nodes = new ArrayList<>(2);
    final List<Runnable> removers = new ArrayList<>(2);
    int refs;

    Entry(long size) {
      this.size = size;
    }
  }

  private final long maxBytes;
  private final Map<JsonNode, Entry> byNode = new IdentityHashMap<>();
  private final ArrayDeque<Entry> order = new ArrayDeque<>();
  private long bytes;
  private long evicted;

  RetainedRecords(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  Entry entry(long size) {
    return new Entry(size);
  }

  /** {@code node} (of entry {@code e}) was put in a list; {@code remove} takes it out again. */
  void hold(Entry e, JsonNode node, Runnable remove) {
    if (e.refs++ == 0) {
      bytes += e.size;
      order.addLast(e);
    }
    e.nodes.add(node);
    e.removers.add(remove);
    byNode.put(node, e);
  }

  /** A list let {@code node} go by itself (its count bound, a replaced value). */
  void released(JsonNode node) {
    Entry e = byNode.remove(node);
    if (e != null) {
      int i = indexOf(e.nodes, node);
      if (i >= 0) {
        e.nodes.remove(i);
        e.removers.remove(i);
      }
      if (--e.refs == 0) {
        bytes -= e.size;
      }
    }
  }

  /** Forgets the oldest records until the rest fit the budget. */
  void enforce() {
    while (bytes > maxBytes) {
      Entry e = order.pollFirst();
      if (e == null) {
        return;
      }
      if (e.refs == 0) {
        continue; // already let go by every list
      }
      for (int i = 0; i < e.nodes.size(); i++) {
        byNode.remove(e.nodes.get(i));
        e.removers.get(i).run();
      }
      e.nodes.clear();
      e.removers.clear();
      e.refs = 0;
      bytes -= e.size;
      evicted++;
    }
    // Entries every list let go of sit in the order queue until they reach its head; bound them.
    if (order.size() > 4 * byNode.size() + 1024) {
      order.removeIf(x -> x.refs == 0);
    }
  }

  private static int indexOf(List<JsonNode> nodes, JsonNode node) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i) == node) {
        return i;
      }
    }
    return -1;
  }

  long bytes() {
    return bytes;
  }

  /** Records forgotten for the byte budget (not for a list's count bound). */
  long evicted() {
    return evicted;
  }
}
