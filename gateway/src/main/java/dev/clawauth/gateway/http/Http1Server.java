package dev.clawauth.gateway.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server: one thread per connection, blocking reads with deadlines, keep-alive
 * and pipelining, chunked bodies both ways, {@code Expect: 100-continue}. It exists because the
 * JDK's server hands every request between its selector thread and the handler's, which cost the
 * gateway more CPU than the whole proxying.
 *
 * <p>Limits: a request's head and body must arrive within {@code readTimeoutMs} of its first
 * byte (408 otherwise), a head is at most {@code maxHeadBytes} (431), an idle keep-alive
 * connection is closed after {@code idleTimeoutMs}, and connections beyond
 * {@code maxConnections} get a 503 and are closed.
 */
public final class Http1Server implements AutoCloseable {
  /** What the server tolerates. */
  public record Limits(int maxConnections, long readTimeoutMs, long idleTimeoutMs, int maxHeadBytes) {}

  private final ServerSocket listener;
  private final Limits limits;
  private final Handler handler;
  /**
   * A thread per connection, kept for the next connection once its own closes: a new thread for
   * every connection cost its creation, and (its thread-local buffers empty, its paths not yet
   * seen by the JIT) a burst of deoptimisation and recompilation whenever clients reconnected.
   */
  private final ExecutorService threads;
  private final Set<Wire> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;
  /**
   * After an answer on a connection the client may still be writing to (a 413, 431, 408), the
   * server stops writing and reads what comes for this long, at most this much, before closing:
   * closing with unread bytes makes the kernel send a reset, which can destroy the answer before
   * the client reads it.
   */
  static final long LINGER_MS = 1_000;
  static final int LINGER_BYTES = 1 << 20;
  /** How long a connection thread waits for the next connection before it ends. */
  static final long IDLE_THREAD_SECONDS = 60;
  private final Watchdog watchdog;
  private volatile boolean closed;

  private Http1Server(ServerSocket listener, Limits limits, Handler handler, ThreadFactory threads) {
    this.listener = listener;
    this.limits = limits;
    this.handler = handler;
    this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), threads);
    this.acceptor = new Thread(this::acceptLoop, "clawauth-http-accept");
    acceptor.setDaemon(true);
    // Deadlines are noticed at most a quarter of the shortest one late.
    this.watchdog = new Watchdog("clawauth-http-deadlines",
        Math.max(5, Math.min(100, Math.min(limits.readTimeoutMs(), limits.idleTimeoutMs()) / 4)));
  }

  /** Binds and starts accepting; {@code threads} makes the connection threads, one per open connection. */
  public static Http1Server start(InetAddress bind, int port, int backlog, Limits limits, Handler handler,
      ThreadFactory threads) throws IOException {
    ServerSocket ss = new ServerSocket();
    try {
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(bind, port), backlog);
    } catch (IOException | RuntimeException e) {
      ss.close();
      throw e;
    }
    Http1Server s = new Http1Server(ss, limits, handler, threads);
    s.acceptor.start();
    return s;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  /** Connections open now, for tests and metrics. */
  public int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // Out of file descriptors and the like: back off instead of spinning.
        try {
          Thread.sleep(50);
        } catch (InterruptedException stop) {
          return;
        }
        continue;
      }
      boolean over = connections.incrementAndGet() > limits.maxConnections();
      try {
        threads.execute(() -> serve(s, over));
      } catch (RuntimeException | OutOfMemoryError e) {
        connections.decrementAndGet();
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket s, boolean over) {
    Wire wire = null;
    // Set while a request is under way: closing then must not reset the connection under the answer.
    boolean linger = false;
    try {
      s.setTcpNoDelay(true);
      wire = new Wire(s);
      open.add(wire);
      watchdog.watch(wire);
      if (closed) {
        return;
      }
      InetSocketAddress remote = (InetSocketAddress) s.getRemoteSocketAddress();
      while (!closed && wire.awaitRequest(over ? Math.min(limits.idleTimeoutMs(), 2_000) : limits.idleTimeoutMs())) {
        linger = true;
        long deadline = System.nanoTime() + (over ? Math.min(limits.readTimeoutMs(), 2_000) : limits.readTimeoutMs()) * 1_000_000;
        RequestHead head;
        try {
          head = RequestHead.parse(nonNull(wire.head(deadline, limits.maxHeadBytes())));
        } catch (NoRequest gone) {
          linger = false;
          return;
        } catch (SocketTimeoutException slow) {
          refuse(wire, RequestHead.partial(wire.unread()), remote, 408, "The request head did not arrive within "
              + limits.readTimeoutMs() + " ms.");
          return;
        } catch (Wire.HeadTooLarge big) {
          refuse(wire, RequestHead.partial(wire.unread()), remote, 431, "The request head is larger than "
              + limits.maxHeadBytes() + " bytes.");
          return;
        } catch (BadRequest bad) {
          refuse(wire, RequestHead.NONE, remote, 400, "Malformed HTTP request: " + bad.getMessage() + ".");
          return;
        }
        if (over) {
          refuse(wire, head, remote, 503, "The gateway has its limit of " + limits.maxConnections()
              + " open connections; retry shortly.");
          return;
        }
        Exchange ex = new Exchange(wire, head, deadline, remote);
        try {
          handler.handle(ex);
        } catch (BadRequest bad) {
          if (ex.headersSent()) {
            // As below: ending the body normally would pass a failed answer off as complete.
            return;
          }
          ex.closeAfter();
          handler.refuse(ex, 400, "Malformed HTTP request: " + bad.getMessage() + ".");
        } catch (Exception | Error e) {
          if (ex.headersSent()) {
            // Part of an answer is out; the client can only learn of the failure by the connection closing.
            return;
          }
        }
        if (!ex.finish()) {
          return;
        }
        linger = false;
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or broke the protocol: nothing to answer.
    } finally {
      if (wire != null) {
        if (linger && !closed) {
          wire.closeLingering(LINGER_MS, LINGER_BYTES);
        }
        watchdog.unwatch(wire);
        open.remove(wire);
        wire.close();
      } else {
        closeQuietly(s);
      }
      connections.decrementAndGet();
    }
  }

  private static byte[] nonNull(byte[] head) throws NoRequest {
    if (head == null) {
      throw new NoRequest();
    }
    return head;
  }

  /** The connection closed cleanly between requests. */
  private static final class NoRequest extends IOException {}

  private void refuse(Wire wire, RequestHead head, InetSocketAddress remote, int status, String message) {
    Exchange ex = new Exchange(wire, head, System.nanoTime() + 1_000_000_000L, remote);
    ex.closeAfter();
    try {
      handler.refuse(ex, status, message);
    } catch (IOException | RuntimeException e) {
      // the client is gone
    }
    ex.finish();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** Stops accepting and closes every connection, which ends their threads. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
    for (Wire w : open) {
      w.close();
    }
    watchdog.close();
    threads.shutdown();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
