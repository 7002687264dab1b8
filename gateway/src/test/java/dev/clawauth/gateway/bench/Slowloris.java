package dev.clawauth.gateway.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections without the token that never finish a request head: each sends one byte of an
 * endless head every {@code dripMs} (none when 0), and one the server closes is opened again at
 * once (when {@code reconnect}), so the attack keeps its number of connections up for as long as
 * it runs. One thread, one selector; for the tests and the benchmark.
 */
public final class Slowloris implements AutoCloseable {
  private static final byte[] HEAD = ("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-padding: "
      + "a".repeat(60_000)).getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress target;
  private final InetSocketAddress from;
  private final int connections;
  private final long dripMs;
  private final boolean reconnect;
  private final Selector selector;
  private final Thread thread;
  private final Set<SocketChannel> open = new HashSet<>();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong closedByServer = new AtomicLong();
  private volatile boolean stop;

  /** {@code from}: the local address to connect from (another loopback address), or null. */
  public Slowloris(InetSocketAddress target, InetSocketAddress from, int connections, long dripMs, boolean reconnect)
      throws IOException {
    this.target = target;
    this.from = from;
    this.connections = connections;
    this.dripMs = dripMs;
    this.reconnect = reconnect;
    this.selector = Selector.open();
    this.thread = new Thread(this::run, "slowloris");
    this.thread.setDaemon(true);
  }

  public Slowloris start() {
    thread.start();
    return this;
  }

  /** Connections established and not yet closed. */
  public int connected() {
    return connected.get();
  }

  /** Connections opened since the start, the first ones included. */
  public long opened() {
    return opened.get();
  }

  public long closedByServer() {
    return closedByServer.get();
  }

  private void run() {
    ByteBuffer sink = ByteBuffer.allocate(4096);
    long nextDrip = System.nanoTime() + dripMs * 1_000_000;
    int wanted = connections;
    try {
      while (!stop) {
        // Opened in batches, so that closes are noticed while the first connections are made.
        for (int i = 0; i < 256 && wanted > 0; i++, wanted--) {
          connect();
        }
        selector.select(50);
        for (SelectionKey k : selector.selectedKeys()) {
          SocketChannel ch = (SocketChannel) k.channel();
          try {
            if (k.isConnectable()) {
              ch.finishConnect();
              k.interestOps(SelectionKey.OP_READ);
              connected.incrementAndGet();
            } else if (k.isReadable()) {
              sink.clear();
              if (ch.read(sink) < 0) {
                throw new IOException("closed by the server");
              }
            }
          } catch (IOException e) {
            if (k.interestOps() == SelectionKey.OP_READ) {
              connected.decrementAndGet();
              closedByServer.incrementAndGet();
            }
            drop(ch);
            if (reconnect) {
              wanted++;
            }
          }
        }
        selector.selectedKeys().clear();
        if (dripMs > 0 && System.nanoTime() - nextDrip >= 0) {
          nextDrip = System.nanoTime() + dripMs * 1_000_000;
          drip();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!stop) {
        System.err.println("slowloris stopped: " + e);
      }
    }
  }

  private void connect() {
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.SO_LINGER, 0);
      if (from != null) {
        ch.bind(from);
      }
      ch.connect(target);
      ch.register(selector, SelectionKey.OP_CONNECT, new int[1]);
      open.add(ch);
      opened.incrementAndGet();
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // not open
        }
      }
    }
  }

  /** One more byte of each connection's head. */
  private void drip() {
    for (SelectionKey k : List.copyOf(selector.keys())) {
      if (!k.isValid() || k.interestOps() != SelectionKey.OP_READ) {
        continue;
      }
      int[] sent = (int[]) k.attachment();
      try {
        ((SocketChannel) k.channel()).write(ByteBuffer.wrap(HEAD, sent[0] % HEAD.length, 1));
        sent[0]++;
      } catch (IOException e) {
        // noticed as a close by the next read
      }
    }
  }

  private void drop(SocketChannel ch) {
    open.remove(ch);
    try {
      ch.close();
    } catch (IOException ignored) {
      // gone anyway
    }
  }

  /** Stops the thread and closes every connection. */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    selector.wakeup();
    thread.join(10_000);
    for (SocketChannel ch : List.copyOf(open)) {
      drop(ch);
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
