package dev.clawauth.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The fake provider of the load harness: a thread per keep-alive connection that answers every
 * request with bytes built once (a JSON message, or the SSE events as separate chunked writes), so
 * that the instrument adds as little CPU and jitter of its own as a server can.
 */
final class LeanProvider implements AutoCloseable {
  private final ServerSocket server;
  private final byte[] json;
  private final byte[][] stream;

  LeanProvider(byte[] message, byte[][] events) throws IOException {
    byte[] head = ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + message.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    json = concat(head, message);
    stream = new byte[events.length + 2][];
    stream[0] = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < events.length; i++) {
      stream[i + 1] = concat(concat((Integer.toHexString(events[i].length) + "\r\n").getBytes(StandardCharsets.US_ASCII),
          events[i]), "\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    stream[events.length + 1] = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("lean-provider-accept").start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          s.setTcpNoDelay(true);
          Thread.ofPlatform().daemon().name("lean-provider").start(() -> serve(s));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve(Socket s) {
    byte[] buf = new byte[65536];
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      int lim = 0;
      while (true) {
        int headEnd;
        while ((headEnd = indexOf(buf, lim, "\r\n\r\n")) < 0) {
          int n = in.read(buf, lim, buf.length - lim);
          if (n < 0) {
            return;
          }
          lim += n;
        }
        int length = contentLength(buf, headEnd);
        int total = headEnd + 4 + length;
        while (lim < total) {
          int n = in.read(buf, lim, buf.length - lim);
          if (n < 0) {
            return;
          }
          lim += n;
        }
        boolean wantsStream = indexOf(buf, total, "\"stream\":true") >= 0;
        if (wantsStream) {
          for (byte[] part : stream) {
            out.write(part);
          }
        } else {
          out.write(json);
        }
        System.arraycopy(buf, total, buf, 0, lim - total);
        lim -= total;
      }
    } catch (IOException gone) {
      // the client went away
    }
  }

  private static int contentLength(byte[] buf, int headEnd) {
    int at = indexOfIgnoreCase(buf, headEnd, "content-length:");
    if (at < 0) {
      return 0;
    }
    int v = 0;
    for (int i = at + 15; i < headEnd; i++) {
      if (buf[i] >= '0' && buf[i] <= '9') {
        v = v * 10 + buf[i] - '0';
      } else if (buf[i] != ' ') {
        break;
      }
    }
    return v;
  }

  private static int indexOf(byte[] buf, int lim, String s) {
    outer:
    for (int i = 0; i + s.length() <= lim; i++) {
      for (int j = 0; j < s.length(); j++) {
        if (buf[i + j] != s.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int indexOfIgnoreCase(byte[] buf, int lim, String lower) {
    outer:
    for (int i = 0; i + lower.length() <= lim; i++) {
      for (int j = 0; j < lower.length(); j++) {
        if (Character.toLowerCase(buf[i + j]) != lower.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
