package dev.clawauth.gateway.upstream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that answers with exactly the bytes a test scripts, to exercise the
 * upstream client on the edges of the protocol: it reads each request (Content-Length body), then
 * lets the script write whatever it likes and decide whether the connection stays open.
 */
final class RawHttpServer implements AutoCloseable {
  /** A request as received. */
  record Request(int connection, int indexOnConnection, String line, byte[] body) {}

  /** Writes the answer; returns false to close the connection afterwards. */
  interface Script {
    boolean answer(Request req, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile Script script;

  RawHttpServer(Script script) throws IOException {
    this.script = script;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          sockets.add(s);
          int n = connections.incrementAndGet();
          Thread.ofVirtual().start(() -> serve(s, n));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  java.net.URI uri(String path) {
    return java.net.URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  private void serve(Socket s, int conn) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      for (int i = 0; ; i++) {
        String line = line(in);
        if (line == null) {
          return;
        }
        long length = 0;
        for (String h; (h = line(in)) != null && !h.isEmpty();) {
          if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Long.parseLong(h.substring(15).trim());
          }
        }
        byte[] body = in.readNBytes((int) length);
        Request r = new Request(conn, i, line, body);
        requests.add(r);
        boolean keep = script.answer(r, out);
        out.flush();
        if (!keep) {
          return;
        }
      }
    } catch (IOException | InterruptedException gone) {
      // the client went away
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) >= 0;) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return null;
  }

  static void write(OutputStream out, String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    acceptor.interrupt();
  }
}
