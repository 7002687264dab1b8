package dev.clawauth.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of the load generator: writes a request built once and reads
 * the whole answer (content-length or chunked) into a reused buffer, so that the instrument
 * allocates nothing per request and its own pauses do not show up as the measured tail.
 */
final class LeanClient implements AutoCloseable {
  private final InetSocketAddress address;
  private final byte[] request;
  private final byte[] buf = new byte[65536];
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private int pos;
  private int lim;
  private int lineStart;

  LeanClient(URI uri, String headers, byte[] body) {
    this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
    byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nhost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
        + headers + "content-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
  }

  /** Sends the request and reads its answer to the end; returns the status. */
  int send() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(address);
      in = socket.getInputStream();
      out = socket.getOutputStream();
      pos = 0;
      lim = 0;
    }
    try {
      out.write(request);
      return readAnswer();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private int readAnswer() throws IOException {
    int status = -1;
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (int line = 0; ; line++) {
      int end = lineEnd();
      int start = lineStart;
      if (end == lineStart) {
        break;
      }
      if (line == 0) {
        status = digits(start + 9, start + 12);
      } else if (matches(start, end, "content-length:")) {
        length = digits(skip(start + 15, end), end);
      } else if (matches(start, end, "transfer-encoding:")) {
        chunked = true;
      } else if (matches(start, end, "connection: close")) {
        close = true;
      }
    }
    if (chunked) {
      for (long size; (size = hex(lineEnd())) > 0;) {
        skipBytes(size);
        lineEnd();
      }
      lineEnd();
    } else if (length >= 0) {
      skipBytes(length);
    } else {
      close = true;
      while (fill()) {
        pos = lim;
      }
    }
    if (close) {
      close();
    }
    return status;
  }

  /** Moves pos past the next CRLF and returns where the line's content ends. */
  private int lineEnd() throws IOException {
    while (true) {
      for (int i = pos; i + 1 < lim; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n') {
          lineStart = pos;
          pos = i + 2;
          return i;
        }
      }
      if (!fill()) {
        throw new IOException("the connection closed mid-answer");
      }
    }
  }

  /** Reads more, keeping unread bytes; false at end of stream. */
  private boolean fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    if (lim == buf.length) {
      throw new IOException("an answer line over " + buf.length + " bytes");
    }
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      return false;
    }
    lim += n;
    return true;
  }

  private void skipBytes(long n) throws IOException {
    while (n > 0) {
      if (pos == lim && !fill()) {
        throw new IOException("the connection closed mid-body");
      }
      int k = (int) Math.min(n, lim - pos);
      pos += k;
      n -= k;
    }
  }

  /** The chunk size on the line just passed (which ends at end). */
  private long hex(int end) {
    int i = lineStart;
    long v = 0;
    for (; i < end && Character.digit(buf[i], 16) >= 0; i++) {
      v = v * 16 + Character.digit(buf[i], 16);
    }
    return v;
  }

  private boolean matches(int start, int end, String name) {
    if (end - start < name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.toLowerCase(buf[start + i]) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int skip(int i, int end) {
    while (i < end && buf[i] == ' ') {
      i++;
    }
    return i;
  }

  private int digits(int from, int to) {
    int v = 0;
    for (int i = from; i < to && buf[i] >= '0' && buf[i] <= '9'; i++) {
      v = v * 10 + buf[i] - '0';
    }
    return v;
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
