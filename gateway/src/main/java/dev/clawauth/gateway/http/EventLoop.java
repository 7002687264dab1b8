package dev.clawauth.gateway.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread that waits on a selector and runs, in turn, whatever became ready: socket events,
 * tasks handed in from other threads, and timers. Under load a single wait returns many events,
 * so a request costs no thread wake-up of its own; with a thread per connection every request
 * woke two threads, which on a loaded two-core machine was most of the latency the gateway added.
 *
 * <p>Everything registered with a loop is touched only from its thread: {@link #execute} is the
 * one way in from elsewhere.
 */
public final class EventLoop implements Executor, AutoCloseable {
  /** What a registered channel's key carries: called on the loop thread when the key is ready. */
  public interface Io {
    void ready(SelectionKey key) throws IOException;

    /** A {@link #ready} threw: the channel should be closed and its parties told. */
    void failed(Throwable t);
  }

  /** A one-shot timer; {@link #cancel} from the loop thread. */
  public static final class Timer implements Comparable<Timer> {
    private final long at;
    private final long seq;
    private final Runnable task;
    private boolean cancelled;

    private Timer(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Timer o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final List<Runnable> closers = new ArrayList<>();
  private final PrintStream log;
  private long seq;
  private volatile boolean closed;

  private EventLoop(String name, PrintStream log) throws IOException {
    this.selector = Selector.open();
    this.log = log;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /** Opens a selector and starts the loop's thread. */
  public static EventLoop start(String name, PrintStream log) throws IOException {
    EventLoop loop = new EventLoop(name, log);
    loop.thread.start();
    return loop;
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Registers a channel (non-blocking already); loop thread only. */
  public SelectionKey register(SelectableChannel channel, int ops, Io io) throws ClosedChannelException {
    assert inLoop();
    return channel.register(selector, ops, io);
  }

  /** Runs {@code task} on the loop thread, soon; from any thread. A closed loop drops it. */
  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** Runs {@code task} once, after {@code delayMillis}; loop thread only. */
  public Timer schedule(long delayMillis, Runnable task) {
    assert inLoop();
    Timer t = new Timer(System.nanoTime() + delayMillis * 1_000_000L, seq++, task);
    timers.add(t);
    return t;
  }

  /** Runs {@code task} on the loop thread when the loop closes (to close what it holds). */
  public void onClose(Runnable task) {
    execute(() -> closers.add(task));
  }

  private void run() {
    while (!closed) {
      try {
        long wait = runTimers();
        if (!tasks.isEmpty()) {
          selector.selectNow();
        } else if (wait < 0) {
          selector.select();
        } else {
          selector.select(Math.max(1, wait));
        }
        wakeupPending.set(false);
        var ready = selector.selectedKeys();
        if (!ready.isEmpty()) {
          for (var it = ready.iterator(); it.hasNext();) {
            SelectionKey key = it.next();
            it.remove();
            Io io = (Io) key.attachment();
            try {
              if (key.isValid()) {
                io.ready(key);
              }
            } catch (Throwable t) {
              failQuietly(io, t);
            }
          }
        }
        // Only the tasks there now: one a task adds runs after the next select, so that a task
        // can count on what a select does (a closed channel's descriptor is released there).
        for (int n = tasks.size(); n > 0; n--) {
          Runnable task = tasks.poll();
          if (task == null) {
            break;
          }
          runQuietly(task);
        }
      } catch (IOException | RuntimeException e) {
        log.println("gateway: event loop " + thread.getName() + ": " + e);
      }
    }
    // Tasks first: one of them may still register a closer.
    Runnable task;
    while ((task = tasks.poll()) != null) {
      runQuietly(task);
    }
    for (Runnable c : closers) {
      runQuietly(c);
    }
    while ((task = tasks.poll()) != null) {
      runQuietly(task);
    }
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Runs the timers that are due; returns milliseconds until the next one, or -1 for none. */
  private long runTimers() {
    long now = System.nanoTime();
    Timer t;
    while ((t = timers.peek()) != null) {
      if (t.cancelled) {
        timers.poll();
        continue;
      }
      if (t.at - now > 0) {
        return (t.at - now + 999_999) / 1_000_000;
      }
      timers.poll();
      runQuietly(t.task);
      now = System.nanoTime();
    }
    return -1;
  }

  private void runQuietly(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      log.println("gateway: event loop " + thread.getName() + ": task failed: " + t);
    }
  }

  private void failQuietly(Io io, Throwable cause) {
    try {
      io.failed(cause);
    } catch (Throwable t) {
      log.println("gateway: event loop " + thread.getName() + ": " + t);
    }
  }

  /** Stops the loop; what it holds is closed on its thread. Waits up to a second for that. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    if (!inLoop()) {
      try {
        thread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
