package dev.clawauth.gateway.upstream;

import static dev.clawauth.gateway.upstream.UpstreamPool.EXPIRED;
import static dev.clawauth.gateway.upstream.UpstreamPool.NEVER;

import dev.clawauth.gateway.http.EventLoop;
import dev.clawauth.gateway.upstream.LoopUpstreamClient.UnreachableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;

/**
 * One connection: its socket, a request buffer and a response buffer reused for every request it
 * carries, and the incremental parser of the answer.
 */
final class UpstreamConnection implements EventLoop.Io {
  enum State { RESOLVING, CONNECTING, HANDSHAKING, ACTIVE, IDLE, CLOSED }

  final LoopUpstreamClient client;
  final UpstreamPool pool;
  final String key;
  final String host;
  final int port;
  final boolean secure;
  State state = State.RESOLVING;
  SocketChannel channel;
  SelectionKey selectionKey;
  UpstreamTransport transport;
  int ops;
  UpstreamCall post;
  /** nanoTime by which the connect, or the next byte of the exchange, is due. */
  long deadline;
  long idleSince;
  // The request: head (and a small body) from the encoder, a large body gathered from the caller's array.
  private final RequestEncoder request = new RequestEncoder();
  final ByteBuffer[] srcs = new ByteBuffer[2];
  int nsrcs;
  boolean writing;
  long written;
  private final ResponseParser answer = new ResponseParser();

  UpstreamConnection(UpstreamPool pool, String key, String host, int port, boolean secure) {
    this.client = pool.client;
    this.pool = pool;
    this.key = key;
    this.host = host;
    this.port = port;
    this.secure = secure;
  }

  /** A dotted IPv4 or bracketed IPv6 literal: an address that needs no look-up. */
  static boolean isAddressLiteral(String host) {
    if (host.startsWith("[") || host.indexOf(':') >= 0) {
      return true;
    }
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
      } else if (c < '0' || c > '9' || ++digits > 3) {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  /** Why a connect failed for want of a reachable endpoint, or null when it failed some other way. */
  private static String unreachable(Throwable e) {
    if (e instanceof UnknownHostException || e instanceof UnresolvedAddressException) {
      return "unknown host";
    }
    if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof SSLException) {
      String m = e.getMessage();
      return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
    }
    return null;
  }

  /** Connects for {@code p}, the host looked up off the loop unless it is an address. */
  void open(UpstreamCall p) {
    post = p;
    deadline = System.nanoTime() + client.connectTimeout.toNanos();
    pool.all.add(this);
    pool.due(deadline);
    try {
      if (isAddressLiteral(host)) {
        connect(InetAddress.getByName(host));
      } else {
        client.resolver.execute(() -> {
          InetAddress a = null;
          Exception failure = null;
          try {
            a = InetAddress.getByName(host);
          } catch (UnknownHostException | RuntimeException e) {
            failure = e;
          }
          InetAddress address = a;
          Exception why = failure;
          pool.loop.execute(() -> resolved(address, why));
        });
      }
    } catch (IOException | RuntimeException e) {
      fail(e instanceof RejectedExecutionException ? new IOException("no resolver for " + host, e) : e);
    }
  }

  boolean channelOpen() {
    return channel != null && channel.isOpen() && selectionKey.isValid();
  }

  private void resolved(InetAddress address, Exception failure) {
    if (state != State.RESOLVING) {
      return;
    }
    try {
      if (failure != null) {
        throw failure;
      }
      connect(address);
    } catch (Exception e) {
      fail(e);
    }
  }

  private void connect(InetAddress address) throws IOException {
    state = State.CONNECTING;
    channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    boolean now = channel.connect(new InetSocketAddress(address, port));
    ops = now ? 0 : SelectionKey.OP_CONNECT;
    selectionKey = pool.loop.register(channel, ops, this);
    if (now) {
      connected();
    }
  }

  private void connected() throws IOException {
    if (secure) {
      String peer = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      transport = TlsChannel.client(channel, client.tls.get(), peer, port, isAddressLiteral(host));
    } else {
      transport = new UpstreamTransport.Plain(channel);
    }
    state = State.HANDSHAKING;
    handshake();
  }

  private void handshake() throws IOException {
    if (transport.handshake()) {
      established();
    } else {
      setOps(transport.handshakeWaitsFor());
    }
  }

  private void established() throws IOException {
    state = State.ACTIVE;
    UpstreamCall p = post;
    if (p != null) {
      send(p);
    }
  }

  /** Starts {@code p}'s request on this (connected, unused) connection. */
  void send(UpstreamCall p) throws IOException {
    state = State.ACTIVE;
    post = p;
    p.conn = this;
    written = 0;
    answer.reset();
    nsrcs = request.encode(p, srcs);
    writing = true;
    deadline = System.nanoTime() + p.timeoutNanos;
    pool.due(deadline);
    flush();
    updateOps();
  }

  @Override
  public void ready(SelectionKey key) {
    try {
      switch (state) {
        case CONNECTING -> {
          if (channel.finishConnect()) {
            connected();
          }
        }
        case HANDSHAKING -> handshake();
        case IDLE -> idleReadable();
        case ACTIVE -> {
          int r = key.readyOps();
          if ((r & SelectionKey.OP_WRITE) != 0) {
            flush();
          }
          if (state == State.ACTIVE && (r & SelectionKey.OP_READ) != 0) {
            readable();
          }
          updateOps();
        }
        default -> {
          // closed: a stale readiness
        }
      }
    } catch (Exception e) {
      fail(e);
    }
  }

  @Override
  public void failed(Throwable t) {
    fail(t);
  }

  /** Closes the connection and tells its request, the error classified by how far it got. */
  void fail(Throwable e) {
    String why = state == State.ACTIVE ? null : unreachable(e);
    abort(why != null ? new UnreachableException(host + ":" + port, why, e)
        : e instanceof IOException io ? io : new IOException("bad response from upstream: " + e.getMessage(), e));
  }

  /** Closes the connection and ends its request, if it has one, with {@code e}. */
  void abort(IOException e) {
    UpstreamCall p = post;
    post = null;
    close();
    if (p != null) {
      p.error(e);
    }
  }

  /** When the sweep should next look at this connection (nanoTime), or {@link UpstreamPool#EXPIRED}. */
  long due(long now) {
    switch (state) {
      case RESOLVING, CONNECTING, HANDSHAKING, ACTIVE -> {
        if (state == State.ACTIVE && (post == null || post.paused)) {
          return NEVER;
        }
        return deadline - now <= 0 ? EXPIRED : deadline;
      }
      case IDLE -> {
        long left = client.idleLimit(key) - (client.clock.getAsLong() - idleSince);
        return left <= 0 ? EXPIRED : now + left * 1_000_000L;
      }
      default -> {
        return NEVER;
      }
    }
  }

  void expire() {
    switch (state) {
      case IDLE -> close();
      case ACTIVE -> abort(new SocketTimeoutException("no answer from upstream within "
          + (post == null ? 0 : post.timeoutNanos / 1_000_000) + " ms"));
      case RESOLVING, CONNECTING, HANDSHAKING -> abort(new UnreachableException(host + ":" + port,
          "connect timed out after " + client.connectTimeout.toMillis() + " ms", null));
      default -> {
        // closed meanwhile
      }
    }
  }

  void close() {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.IDLE) {
      pool.removeIdle(this);
    }
    state = State.CLOSED;
    pool.all.remove(this);
    if (post != null) {
      post.conn = null;
      post = null;
    }
    if (transport != null) {
      transport.close();
    } else if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  void setOps(int wanted) {
    if (wanted != ops) {
      ops = wanted;
      selectionKey.interestOps(wanted);
    }
  }

  /** Reads unless paused; writes while the request (or TLS) has bytes waiting. */
  void updateOps() {
    if (state != State.ACTIVE || selectionKey == null) {
      return;
    }
    int wanted = post != null && post.paused ? 0 : SelectionKey.OP_READ;
    if (writing || !transport.flushed()) {
      wanted |= SelectionKey.OP_WRITE;
    }
    setOps(wanted);
  }

  /** Writes what the socket takes now. */
  void flush() throws IOException {
    if (!writing && transport.flushed()) {
      return;
    }
    long n = transport.write(srcs, 0, writing ? nsrcs : 0);
    if (n > 0 && post != null) {
      written += n;
      deadline = System.nanoTime() + post.timeoutNanos;
    }
    if (writing && !srcs[nsrcs - 1].hasRemaining() && !srcs[0].hasRemaining()) {
      writing = false;
      srcs[1] = null;
    }
  }

  /** Reads and parses until the socket has nothing more, the request is paused, or it ended. */
  private void readable() throws IOException {
    UpstreamCall p = post;
    while (post == p && p != null && !p.paused) {
      ByteBuffer room = answer.room();
      int space = room.remaining();
      int n = transport.read(room);
      if (n < 0) {
        // The connection ended while this request was reading it.
        answer.endOfStream();
        parse();
        return;
      }
      if (n == 0) {
        return;
      }
      answer.received(n);
      deadline = System.nanoTime() + p.timeoutNanos;
      parse();
      if (n < space && !transport.hasBuffered()) {
        // The socket had less than a buffer: it is drained, and the next read would find nothing.
        return;
      }
    }
  }

  /** Hands what has arrived to the request, until it pauses, is cancelled, or has its answer. */
  private void parse() throws IOException {
    UpstreamCall p = post;
    while (post == p && !p.paused) {
      switch (answer.next()) {
        case HEAD -> {
          LoopUpstreamClient.keepAliveTimeout(answer.headers().get("keep-alive"))
              .ifPresent(t -> client.lowerIdleLimit(key, t * 1000 - 1000));
          p.head(answer.status(), answer.headers());
        }
        case BODY -> {
          p.data(answer.body());
          answer.throwFault();
        }
        case END -> {
          complete();
          return;
        }
        default -> {
          return;
        }
      }
    }
  }

  /** The answer is complete: the connection goes back to the pool if it can carry another. */
  private void complete() {
    UpstreamCall p = post;
    boolean reusable = answer.reusable() && !writing && transport.flushed() && !transport.hasBuffered()
        && !pool.shut && !client.closed;
    post = null;
    p.conn = null;
    if (reusable) {
      state = State.IDLE;
      idleSince = client.clock.getAsLong();
      answer.reset();
      setOps(SelectionKey.OP_READ);
      pool.putIdle(this);
    } else {
      close();
    }
    p.end();
  }

  /** An idle connection became readable: the server closed it, or sent what nobody asked for. */
  private void idleReadable() {
    int n;
    try {
      n = transport.read(answer.room());
    } catch (IOException e) {
      n = -2;
    }
    if (n == 0) {
      // TLS records that carry no data (a session ticket): still idle.
      return;
    }
    if (n == -1) {
      long idle = client.clock.getAsLong() - idleSince;
      if (idle < client.idleLimit(key)) {
        // The server closed it sooner than we kept it: keep the next ones for less.
        client.lowerIdleLimit(key, idle / 2);
      }
    }
    close();
  }

  void resumed(UpstreamCall p) {
    try {
      deadline = System.nanoTime() + p.timeoutNanos;
      pool.due(deadline);
      if (state != State.ACTIVE) {
        return;
      }
      parse();
      if (post == p && !p.paused && transport.hasBuffered()) {
        readable();
      }
      updateOps();
    } catch (Exception e) {
      fail(e);
    }
  }
}
