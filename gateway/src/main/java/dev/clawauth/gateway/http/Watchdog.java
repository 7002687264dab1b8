package dev.clawauth.gateway.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces deadlines on blocking socket calls from one background thread. A socket read with
 * {@code SO_TIMEOUT} makes the JDK switch the socket to non-blocking mode for good and wait in
 * {@code poll}, which costs three system calls per wait instead of one; under load that was a
 * third of the gateway's CPU. Here a read blocks plainly, and a socket whose deadline passes is
 * shut down by this thread, which ends the read.
 */
public final class Watchdog implements AutoCloseable {
  /** Something with a deadline: a connection, armed while it waits. */
  public abstract static class Watched {
    private volatile long deadlineNanos;
    private volatile boolean expired;

    /** Starts the clock: {@link #expire} runs once {@code System.nanoTime()} passes the deadline. */
    public final void arm(long deadline) {
      deadlineNanos = deadline == 0 ? 1 : deadline;
    }

    public final void disarm() {
      deadlineNanos = 0;
    }

    /** Whether the deadline passed while armed (the connection was then shut down). */
    public final boolean expired() {
      return expired;
    }

    /** Unblocks the waiting thread, typically by shutting the socket down; runs on the watchdog thread. */
    protected abstract void expire();
  }

  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  private final long tickMillis;
  private final Thread thread;
  private volatile boolean closed;

  /** {@code tickMillis}: how late a deadline may be noticed at most. */
  public Watchdog(String name, long tickMillis) {
    this.tickMillis = Math.max(1, tickMillis);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  public void watch(Watched w) {
    watched.add(w);
  }

  public void unwatch(Watched w) {
    watched.remove(w);
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(tickMillis);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (Watched w : watched) {
        long d = w.deadlineNanos;
        if (d != 0 && now - d >= 0) {
          w.deadlineNanos = 0;
          w.expired = true;
          try {
            w.expire();
          } catch (RuntimeException ignored) {
            // the connection is already gone
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
