package dev.clawauth.cli;

import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop gracefully. A JVM shutdown hook cannot change the exit
 * status a signal gives (143 for SIGTERM), so the signals are taken from the JVM: the first is
 * handed to the thread waiting in {@link #await}, which stops and returns normally; any later one
 * runs {@code again} (cut what is left, at once).
 */
final class StopSignals {
  private static final String[] NAMES = {"TERM", "INT"};

  private final CompletableFuture<String> first = new CompletableFuture<>();
  private final Runnable again;

  private StopSignals(Runnable again) {
    this.again = again;
  }

  /**
   * Takes SIGTERM and SIGINT over. Where the JVM keeps a signal for itself (run with -Xrs), that
   * signal keeps its default: the JVM exits through its shutdown hooks as before.
   */
  static StopSignals install(Runnable again) {
    StopSignals s = new StopSignals(again);
    for (String name : NAMES) {
      try {
        Signal.handle(new Signal(name), s::received);
      } catch (IllegalArgumentException reserved) {
        // left to the JVM's default
      }
    }
    return s;
  }

  private void received(Signal signal) {
    if (!first.complete("SIG" + signal.getName())) {
      again.run();
    }
  }

  /** Waits for the first signal; returns its name (SIGTERM, SIGINT). */
  String await() throws InterruptedException {
    try {
      return first.get();
    } catch (java.util.concurrent.ExecutionException impossible) {
      throw new IllegalStateException(impossible.getCause());
    }
  }
}
