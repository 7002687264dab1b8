package dev.clawauth.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floor under any proxy on this host: bytes relayed between each client connection and an
 * upstream connection of its own, with no parsing, no credential and no store. It stands in for the
 * gateway in the load harness (launched by {@code gateway/bench/floor-launcher.sh}), so that what a
 * design can reach at best is measured with the same instrument as the gateway itself.
 * {@code -Dfloor.mode=threads}: a thread per direction, blocking; {@code loop}: one NIO selector thread.
 */
public final class FloorProxy {
  public static void main(String[] args) throws Exception {
    Path state = Path.of(System.getenv("OPENCLAW_STATE_DIR"));
    Matcher m = Pattern.compile("baseUrl: '(http://[^:]+):(\\d+)'").matcher(Files.readString(state.resolve("openclaw.json")));
    if (!m.find()) {
      throw new IllegalStateException("no baseUrl in openclaw.json");
    }
    InetSocketAddress upstream = new InetSocketAddress(m.group(1).substring("http://".length()), Integer.parseInt(m.group(2)));
    Files.writeString(state.resolve("clawauth-gateway.token"), "floor\n");
    String mode = System.getProperty("floor.mode", "loop");
    if (mode.equals("threads")) {
      threads(upstream);
    } else {
      loop(upstream);
    }
  }

  private static void threads(InetSocketAddress upstream) throws IOException {
    ServerSocket server = new ServerSocket(0, 1024, java.net.InetAddress.getLoopbackAddress());
    System.out.println("floor proxy (threads) listening on http://127.0.0.1:" + server.getLocalPort());
    while (true) {
      Socket client = server.accept();
      Socket up = new Socket();
      up.connect(upstream);
      client.setTcpNoDelay(true);
      up.setTcpNoDelay(true);
      pump(client.getInputStream(), up.getOutputStream(), client, up);
      pump(up.getInputStream(), client.getOutputStream(), client, up);
    }
  }

  private static void pump(InputStream in, OutputStream out, Socket a, Socket b) {
    Thread.ofPlatform().daemon().stackSize(256 * 1024).start(() -> {
      byte[] buf = new byte[16384];
      try {
        for (int n; (n = in.read(buf)) > 0;) {
          out.write(buf, 0, n);
        }
      } catch (IOException ignored) {
        // either side closed
      }
      try {
        a.close();
        b.close();
      } catch (IOException ignored) {
        // closing
      }
    });
  }

  /** Both ends of one relayed connection; each direction has a buffer and stops reading while it is full. */
  private static final class Pair {
    final SocketChannel client;
    final SocketChannel up;
    final ByteBuffer toUp = ByteBuffer.allocateDirect(16384);
    final ByteBuffer toClient = ByteBuffer.allocateDirect(16384);
    SelectionKey clientKey;
    SelectionKey upKey;

    Pair(SocketChannel client, SocketChannel up) {
      this.client = client;
      this.up = up;
    }
  }

  private static void loop(InetSocketAddress upstream) throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 1024);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    System.out.println("floor proxy (loop) listening on http://127.0.0.1:" + server.socket().getLocalPort());
    while (true) {
      selector.select();
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey k = it.next();
        it.remove();
        try {
          if (k.isAcceptable()) {
            SocketChannel c = server.accept();
            if (c == null) {
              continue;
            }
            SocketChannel u = SocketChannel.open(upstream);
            for (SocketChannel ch : new SocketChannel[] {c, u}) {
              ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
              ch.configureBlocking(false);
            }
            Pair p = new Pair(c, u);
            p.clientKey = c.register(selector, SelectionKey.OP_READ, p);
            p.upKey = u.register(selector, SelectionKey.OP_READ, p);
            continue;
          }
          Pair p = (Pair) k.attachment();
          boolean fromClient = k == p.clientKey;
          if (k.isReadable()) {
            relay(fromClient ? p.client : p.up, fromClient ? p.up : p.client, fromClient ? p.toUp : p.toClient,
                k, fromClient ? p.upKey : p.clientKey, p);
          }
          if (k.isValid() && k.isWritable()) {
            // This side drained: flush what waited for it and read the other side again.
            ByteBuffer pending = fromClient ? p.toClient : p.toUp;
            SocketChannel dst = fromClient ? p.client : p.up;
            dst.write(pending);
            if (!pending.hasRemaining()) {
              pending.clear();
              k.interestOps(SelectionKey.OP_READ);
              (fromClient ? p.upKey : p.clientKey).interestOps(SelectionKey.OP_READ);
            }
          }
        } catch (IOException e) {
          Pair p = (Pair) k.attachment();
          if (p != null) {
            close(p);
          }
        }
      }
    }
  }

  private static void relay(SocketChannel src, SocketChannel dst, ByteBuffer buf, SelectionKey srcKey,
      SelectionKey dstKey, Pair p) throws IOException {
    int n = src.read(buf);
    if (n < 0) {
      close(p);
      return;
    }
    buf.flip();
    dst.write(buf);
    if (buf.hasRemaining()) {
      srcKey.interestOps(0);
      dstKey.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    } else {
      buf.clear();
    }
  }

  private static void close(Pair p) {
    try {
      p.client.close();
      p.up.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
