package dev.clawauth.gateway.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes held at once across every connection, at most {@code max}: each body is
 * buffered whole, so without it many large bodies arriving together could exhaust the heap.
 */
final class BodyBudget {
  private final long max;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long max) {
    this.max = max;
  }

  long max() {
    return max;
  }

  /** Takes {@code n} bytes of the budget; false, taking none, when that would exceed it. */
  boolean reserve(long n) {
    while (true) {
      long now = held.get();
      if (now + n > max) {
        return false;
      }
      if (held.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  void release(long n) {
    if (n > 0) {
      held.addAndGet(-n);
    }
  }

  long held() {
    return held.get();
  }
}
