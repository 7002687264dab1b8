package dev.clawauth.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, never for a fixed time. */
public final class Await {
  private Await() {}

  public static void until(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
    until(() -> what, limit, done);
  }

  /** {@code what} is asked only on failure, to say what was seen then. */
  public static void until(Supplier<String> what, Duration limit, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + limit + ": " + what.get());
      }
      Thread.sleep(20);
    }
  }
}
