package dev.clawauth.gateway.http;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A non-blocking HTTP/1.1 server on event loops that the caller owns: keep-alive and
 * pipelining, chunked bodies both ways, {@code Expect: 100-continue}. The first loop accepts;
 * connections are dealt to the loops in turn and stay on theirs. The server owns no thread.
 *
 * <p>Limits: a request's head and body must arrive within {@code readTimeoutMs} of its first
 * byte (408 otherwise), a head is at most {@code maxHeadBytes} (431), a body at most
 * {@code maxBodyBytes} (413), an idle keep-alive connection is closed after
 * {@code idleTimeoutMs}, so is one whose client takes none of its answer for that long, and
 * connections beyond {@code maxConnections} get a 503 and are closed.
 *
 * <p>With {@code admission} limits, a connection is unauthenticated until the handler marks one
 * of its requests authenticated ({@link LoopExchange#authenticate}): until then it must send each
 * request head within {@code headTimeoutMs} of connecting (or of its last answer), and it holds a
 * place in the bounded unauthenticated share ({@link Admission}), which a newer connection may
 * take from it. What is turned away there is summarised in one log line per
 * {@link #REPORT_INTERVAL_MS}, not a line per connection.
 *
 * <p>A graceful stop is {@link #drain}, then {@link #drained} (with the caller's deadline), then
 * {@link #cut} for what is left.
 */
public final class LoopServer implements AutoCloseable {
  /**
   * What the server tolerates. {@code maxBufferedBodyBytes}: request-body bytes held at once across
   * all connections; a request that would go over it gets a 503.
   */
  public record Limits(int maxConnections, long readTimeoutMs, long idleTimeoutMs, int maxHeadBytes,
      long maxBodyBytes, Admission.Limits admission, long headTimeoutMs, long maxBufferedBodyBytes) {
    public Limits {
      if (admission != null && (admission.maxConnections() != maxConnections || headTimeoutMs <= 0)) {
        throw new IllegalArgumentException("admission limits need the same maxConnections and a head timeout");
      }
    }

    /** Without admission control: every connection counts as authenticated (a server with no credential). */
    public Limits(int maxConnections, long readTimeoutMs, long idleTimeoutMs, int maxHeadBytes, long maxBodyBytes) {
      this(maxConnections, readTimeoutMs, idleTimeoutMs, maxHeadBytes, maxBodyBytes, null, 0, Long.MAX_VALUE);
    }
  }

  /** How often refusals of unauthenticated connections are summarised in the log, at most. */
  public static final long REPORT_INTERVAL_MS = 10_000;

  /**
   * After an answer on a connection the client may still be writing to (a 413, 431, 408), the
   * server stops writing and reads what comes for this long, at most this much, before closing.
   */
  static final long LINGER_MS = 1_000;
  static final int LINGER_BYTES = 1 << 20;
  /** A connection over the limit waits at most this long for the request it is refused. */
  static final long OVER_LIMIT_MS = 2_000;
  /** Connections accepted in one turn of the loop, so that a burst does not starve the others. */
  private static final int ACCEPT_BATCH = 64;
  private static final long ACCEPT_BACKOFF_MS = 50;
  private static final long CLOSE_WAIT_MS = 2_000;

  private final ServerSocketChannel listener;
  private final InetSocketAddress address;
  private final Limits limits;
  private final BodyBudget bodies;
  private final LoopHandler handler;
  private final PrintStream log;
  private final List<Shard> shards = new ArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  /** Null without admission control. */
  private final Admission<Seat> admission;
  /** Deadlines are noticed at most a quarter of the shortest one late. */
  private final long tickMs;
  private SelectionKey acceptKey;
  /** The shard the next connection goes to; accepting loop only. */
  private int nextShard;
  private volatile boolean closed;
  /** Set by {@link #drain}: answers close their connection, and no further request starts. */
  private volatile boolean draining;

  private LoopServer(ServerSocketChannel listener, Limits limits, LoopHandler handler, List<EventLoop> loops,
      PrintStream log) throws IOException {
    this.listener = listener;
    this.address = (InetSocketAddress) listener.getLocalAddress();
    this.limits = limits;
    this.bodies = new BodyBudget(limits.maxBufferedBodyBytes());
    this.handler = handler;
    this.log = log;
    long shortest = Math.min(limits.readTimeoutMs(), limits.idleTimeoutMs());
    if (limits.admission() != null) {
      shortest = Math.min(shortest, limits.headTimeoutMs());
    }
    this.tickMs = Math.max(5, Math.min(100, shortest / 4));
    this.admission = limits.admission() == null ? null
        : new Admission<>(limits.admission(), REPORT_INTERVAL_MS * 1_000_000, System.nanoTime());
    for (EventLoop loop : loops) {
      shards.add(new Shard(loop));
    }
  }

  /** Binds and starts accepting on the first of {@code loops}; connections run on all of them. */
  public static LoopServer start(InetAddress bind, int port, int backlog, Limits limits, LoopHandler handler,
      List<EventLoop> loops, PrintStream log) throws IOException {
    if (loops.isEmpty()) {
      throw new IllegalArgumentException("the server needs at least one event loop");
    }
    ServerSocketChannel ch = ServerSocketChannel.open();
    LoopServer s;
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(new InetSocketAddress(bind, port), backlog);
      ch.configureBlocking(false);
      s = new LoopServer(ch, limits, handler, loops, log);
      s.listen();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    for (Shard shard : s.shards) {
      shard.loop.execute(shard::sweep);
    }
    return s;
  }

  /** Registers the listener with the first loop and waits until it is. */
  private void listen() throws IOException {
    EventLoop first = shards.get(0).loop;
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable register = () -> {
      try {
        acceptKey = first.register(listener, SelectionKey.OP_ACCEPT, new Acceptor());
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    };
    if (first.inLoop()) {
      register.run();
    } else {
      first.execute(register);
    }
    try {
      done.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("could not listen on " + address + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("could not listen on " + address + ": its event loop does not run");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting to listen on " + address);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Request-body bytes buffered now, across all connections. */
  public long bufferedBodyBytes() {
    return bodies.held();
  }

  BodyBudget bodies() {
    return bodies;
  }

  /** Connections open now, for tests and metrics. */
  public int connections() {
    return connections.get();
  }

  Limits limits() {
    return limits;
  }

  /** The admission policy and its counts, or null without admission control. */
  public Admission<?> admission() {
    return admission;
  }

  Admission<Seat> seats() {
    return admission;
  }

  LoopHandler handler() {
    return handler;
  }

  PrintStream log() {
    return log;
  }

  /** Accepts connections on the first loop and deals them to the loops in turn. */
  private final class Acceptor implements EventLoop.Io {
    @Override
    public void ready(SelectionKey key) {
      for (int i = 0; i < ACCEPT_BATCH && !closed; i++) {
        SocketChannel sc;
        try {
          sc = listener.accept();
        } catch (IOException e) {
          backOff();
          return;
        }
        if (sc == null) {
          return;
        }
        int open = connections.incrementAndGet();
        Shard shard = shards.get(nextShard);
        nextShard = (nextShard + 1) % shards.size();
        Seat seat = admission == null ? null : seat(sc, shard);
        boolean over = admission == null ? open > limits.maxConnections() : seat.ticket == null;
        if (shard.loop.inLoop()) {
          shard.open(sc, over, seat);
        } else {
          shard.loop.execute(() -> shard.open(sc, over, seat));
        }
      }
    }

    /** Decides the new connection's place; the one it displaces is closed on its own loop. */
    private Seat seat(SocketChannel sc, Shard shard) {
      Seat seat = new Seat(shard);
      String source;
      try {
        source = ((InetSocketAddress) sc.getRemoteAddress()).getAddress().getHostAddress();
      } catch (IOException | RuntimeException e) {
        source = "unknown";
      }
      Admission.Decision<Seat> d = admission.admit(seat, source);
      seat.ticket = d.ticket();
      Seat victim = d.evicted();
      if (victim != null) {
        // Queued after the task that opens the victim's connection on that loop, so it finds it.
        if (victim.shard.loop.inLoop()) {
          victim.evict();
        } else {
          victim.shard.loop.execute(victim::evict);
        }
      }
      return seat;
    }

    /** Out of file descriptors and the like: pause accepting instead of spinning. */
    private void backOff() {
      if (closed || !acceptKey.isValid()) {
        return;
      }
      acceptKey.interestOps(0);
      shards.get(0).loop.schedule(ACCEPT_BACKOFF_MS, () -> {
        if (!closed && acceptKey.isValid()) {
          acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
      });
    }

    @Override
    public void failed(Throwable t) {
      log.println("gateway: accepting on " + address + " failed: " + t);
    }
  }

  /** The server's part of one loop: its connections, their deadlines, spare output buffers. */
  final class Shard {
    private static final int SPARE_QUEUES = 32;
    final EventLoop loop;
    private final List<LoopConnection> live = new ArrayList<>();
    /** Output queues of closed connections, kept for new ones: their direct buffers are costly to make. */
    private final ArrayDeque<OutQueue> spare = new ArrayDeque<>();
    private final Runnable sweep = this::sweep;
    /** Completes once this loop's part of a drain has no request in progress left. */
    final CompletableFuture<Void> settled = new CompletableFuture<>();
    /** This loop has done its part of {@link LoopServer#drain}. */
    private boolean drainedHere;

    Shard(EventLoop loop) {
      this.loop = loop;
    }

    LoopServer server() {
      return LoopServer.this;
    }

    void open(SocketChannel sc, boolean over, Seat seat) {
      if (closed || (seat != null && seat.ticket != null && admission.stillEvicted(seat.ticket))) {
        closeQuietly(sc);
        connections.decrementAndGet();
        return;
      }
      try {
        sc.configureBlocking(false);
        sc.setOption(StandardSocketOptions.TCP_NODELAY, true);
        LoopConnection c = new LoopConnection(LoopServer.this, this, sc, over, seat);
        c.slot = live.size();
        live.add(c);
        if (seat != null) {
          seat.conn = c;
        }
        if (drainedHere) {
          // Accepted before the listener closed and dealt to this loop after its drain.
          c.drain();
          settle();
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly(sc);
        connections.decrementAndGet();
        if (seat != null && seat.ticket != null) {
          admission.closed(seat.ticket);
        }
      }
    }

    OutQueue takeQueue() {
      OutQueue q = spare.poll();
      return q != null ? q : new OutQueue();
    }

    /** A connection closed: forget it and keep its output queue for the next. */
    void closed(LoopConnection c, OutQueue q) {
      LoopConnection last = live.remove(live.size() - 1);
      if (last != c) {
        live.set(c.slot, last);
        last.slot = c.slot;
      }
      connections.decrementAndGet();
      q.clear();
      if (spare.size() < SPARE_QUEUES) {
        spare.add(q);
      }
    }

    /** Checks every connection's deadline; one timer per loop instead of one per request. */
    private void sweep() {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      if (admission != null && this == shards.get(0)) {
        String summary = admission.report(now);
        if (summary != null) {
          log.println("gateway: " + summary);
        }
      }
      // Backwards: a connection that closes moves the last one into its slot, already checked.
      for (int i = live.size() - 1; i >= 0; i--) {
        if (i < live.size()) {
          live.get(i).tick(now);
        }
      }
      loop.schedule(tickMs, sweep);
    }

    /** Closes every connection; returns how many had a request in progress. */
    private int closeAll() {
      int cut = 0;
      for (int i = live.size() - 1; i >= 0; i--) {
        if (i < live.size()) {
          LoopConnection c = live.get(i);
          cut += c.busy() ? 1 : 0;
          c.close();
        }
      }
      spare.clear();
      return cut;
    }

    /** This loop's part of {@link LoopServer#drain}: returns how many of its connections have a request in progress. */
    private int drain() {
      int busy = 0;
      for (int i = live.size() - 1; i >= 0; i--) {
        if (i < live.size() && live.get(i).drain()) {
          busy++;
        }
      }
      drainedHere = true;
      settle();
      return busy;
    }

    /** During a drain: completes {@link #settled} once no connection of this loop has a request in progress. */
    void settle() {
      if (!drainedHere || settled.isDone()) {
        return;
      }
      for (LoopConnection c : live) {
        if (c.busy()) {
          return;
        }
      }
      settled.complete(null);
    }
  }

  /**
   * A connection's place in the {@link Admission}: decided on the accepting loop, before the
   * connection exists on its own loop.
   */
  static final class Seat {
    final Shard shard;
    /** Null when over the limit. */
    Admission.Ticket<Seat> ticket;
    /** Set on the shard's loop once open; read there only. */
    LoopConnection conn;

    Seat(Shard shard) {
      this.shard = shard;
    }

    /** On the shard's loop: closes the connection whose place a newer one took. */
    void evict() {
      if (conn != null && seatsOf(shard).stillEvicted(ticket)) {
        // Bytes already waiting may be an honest client's head with the token: read them before its place goes.
        conn.readWaiting();
        if (seatsOf(shard).stillEvicted(ticket)) {
          conn.close();
        }
      }
    }

    private static Admission<Seat> seatsOf(Shard shard) {
      return shard.server().admission;
    }
  }

  private static void closeQuietly(SocketChannel sc) {
    try {
      sc.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /**
   * Stops accepting: once this returns, the port refuses new connections. Idle connections close
   * now (after reading a request their client already sent); one with a request in progress
   * closes once its answer is out, and starts no request sent after it. Returns how many requests
   * are in progress; {@link #drained} completes when none is, {@link #close} cuts what remains.
   * Call it from outside the loops.
   */
  public int drain() {
    draining = true;
    return onEachLoop(Shard::drain);
  }

  /** Completes once a {@link #drain} has no request in progress left. */
  public CompletableFuture<Void> drained() {
    return CompletableFuture.allOf(shards.stream().map(s -> s.settled).toArray(CompletableFuture[]::new));
  }

  boolean draining() {
    return draining;
  }

  /**
   * Stops accepting and closes every connection (answers in progress learn of it through their
   * onClosed callbacks). The loops keep running. From outside the loops, waits until the port
   * is released.
   */
  @Override
  public void close() {
    cut();
  }

  /** {@link #close}, returning how many requests in progress it cut (when called from outside the loops). */
  public int cut() {
    closed = true;
    return onEachLoop(Shard::closeAll);
  }

  /**
   * Runs {@code task} on every loop, the first one closing the listener before it; from outside
   * the loops, waits for them and for the port's release and returns the sum of their counts.
   */
  private int onEachLoop(java.util.function.ToIntFunction<Shard> task) {
    boolean outside = true;
    for (Shard s : shards) {
      outside &= !s.loop.inLoop();
    }
    AtomicInteger sum = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(shards.size());
    for (Shard s : shards) {
      Runnable onShard = () -> {
        try {
          if (s == shards.get(0)) {
            closeListener();
          }
          sum.addAndGet(task.applyAsInt(s));
        } finally {
          done.countDown();
        }
      };
      if (s.loop.inLoop()) {
        onShard.run();
      } else {
        s.loop.execute(onShard);
      }
    }
    if (!outside) {
      return sum.get();
    }
    if (!await(done)) {
      closeListener();
      return sum.get();
    }
    // A channel closed while registered keeps its descriptor (and the port) until the loop's next
    // select deregisters it: one more turn of the loop makes sure that has happened.
    CountDownLatch turned = new CountDownLatch(1);
    shards.get(0).loop.execute(turned::countDown);
    await(turned);
    return sum.get();
  }

  private void closeListener() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
