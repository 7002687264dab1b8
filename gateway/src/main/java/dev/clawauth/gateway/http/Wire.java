package dev.clawauth.gateway.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * One client connection's buffered bytes in both directions. Reads take an absolute deadline, so a
 * client that trickles its request a byte at a time still runs out of time (the {@link Watchdog}
 * shuts the input down when it passes); writes collect in one buffer so that a small response
 * leaves in a single segment.
 */
final class Wire extends Watchdog.Watched {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] ibuf = new byte[8192];
  private int ipos;
  private int ilim;
  private final byte[] obuf = new byte[16384];
  private int opos;

  Wire(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  Socket socket() {
    return socket;
  }

  /** A copy of what arrived and was not consumed (a request head cut short). */
  byte[] unread() {
    return Arrays.copyOfRange(ibuf, ipos, ilim);
  }

  /** Bytes already read from the socket and not yet consumed. */
  int buffered() {
    return ilim - ipos;
  }

  /**
   * Waits for more bytes until {@code deadlineNanos} (0: no deadline). False at end of stream.
   *
   * @throws SocketTimeoutException when the deadline passes first
   */
  private boolean fill(long deadlineNanos) throws IOException {
    if (ipos == ilim) {
      ipos = 0;
      ilim = 0;
    } else if (ilim == ibuf.length && ipos > 0) {
      System.arraycopy(ibuf, ipos, ibuf, 0, ilim - ipos);
      ilim -= ipos;
      ipos = 0;
    }
    int n = timedRead(ibuf, ilim, ibuf.length - ilim, deadlineNanos);
    if (n < 0) {
      return false;
    }
    ilim += n;
    return true;
  }

  /** A plain blocking read, with the watchdog armed when there is a deadline. */
  private int timedRead(byte[] b, int off, int len, long deadlineNanos) throws IOException {
    if (deadlineNanos == 0) {
      return in.read(b, off, len);
    }
    if (deadlineNanos - System.nanoTime() <= 0 || expired()) {
      throw new SocketTimeoutException("deadline passed");
    }
    arm(deadlineNanos);
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      if (expired()) {
        throw new SocketTimeoutException("deadline passed");
      }
      throw e;
    } finally {
      disarm();
    }
    if (n < 0 && expired()) {
      throw new SocketTimeoutException("deadline passed");
    }
    return n;
  }

  @Override
  protected void expire() {
    try {
      // Ends the blocked read; the output stays open for the 408.
      socket.shutdownInput();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** Waits up to {@code idleMillis} for the first byte of a request; false on end of stream or idle timeout. */
  boolean awaitRequest(long idleMillis) throws IOException {
    if (ipos < ilim) {
      return true;
    }
    try {
      return fill(System.nanoTime() + idleMillis * 1_000_000);
    } catch (SocketTimeoutException idle) {
      return false;
    }
  }

  /**
   * The bytes of a request head up to and including its blank line, or null when the peer closed
   * the connection first.
   *
   * @throws HeadTooLarge when no blank line comes within {@code max} bytes
   */
  byte[] head(long deadlineNanos, int max) throws IOException {
    int from = ipos;
    while (true) {
      for (int i = from; i < ilim; i++) {
        if (ibuf[i] == '\n' && (i - 1 >= ipos && ibuf[i - 1] == '\n'
            || i - 2 >= ipos && ibuf[i - 1] == '\r' && ibuf[i - 2] == '\n')) {
          // A head that arrived whole in one read is held to the limit too, not only one that trickles.
          if (i + 1 - ipos > max) {
            throw new HeadTooLarge();
          }
          byte[] head = Arrays.copyOfRange(ibuf, ipos, i + 1);
          ipos = i + 1;
          return head;
        }
      }
      int unread = ilim - ipos;
      if (unread >= max) {
        throw new HeadTooLarge();
      }
      if (ilim == ibuf.length) {
        if (ipos > 0) {
          System.arraycopy(ibuf, ipos, ibuf, 0, unread);
          ilim = unread;
          ipos = 0;
        } else {
          ibuf = Arrays.copyOf(ibuf, Math.min(ibuf.length * 2, max + 4));
        }
      }
      if (!fill(deadlineNanos)) {
        if (ilim == ipos) {
          return null;
        }
        throw new EOFException("the client closed the connection in the middle of the request head");
      }
      from = ipos + unread;
    }
  }

  /** Reads up to {@code len} body bytes; -1 at end of stream. */
  int read(byte[] b, int off, int len, long deadlineNanos) throws IOException {
    if (ipos == ilim) {
      if (len >= ibuf.length) {
        // Large reads skip the buffer.
        return timedRead(b, off, len, deadlineNanos);
      }
      if (!fill(deadlineNanos)) {
        return -1;
      }
    }
    int n = Math.min(len, ilim - ipos);
    System.arraycopy(ibuf, ipos, b, off, n);
    ipos += n;
    return n;
  }

  /** A CRLF- or LF-terminated line (chunk sizes, trailers) of at most {@code max} bytes, without its end. */
  String line(long deadlineNanos, int max) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (ipos == ilim && !fill(deadlineNanos)) {
        throw new EOFException("the client closed the connection in the middle of the request body");
      }
      byte b = ibuf[ipos++];
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      if (sb.length() >= max) {
        throw new BadRequest("a chunk-size or trailer line is longer than " + max + " bytes");
      }
      sb.append((char) (b & 0xff));
    }
  }

  void write(byte[] b, int off, int len) throws IOException {
    if (len > obuf.length - opos) {
      flushBuffer();
      if (len >= obuf.length) {
        out.write(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, obuf, opos, len);
    opos += len;
  }

  void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  /** Appends an ASCII string. */
  void ascii(String s) throws IOException {
    int n = s.length();
    if (n > obuf.length - opos) {
      flushBuffer();
      if (n > obuf.length) {
        out.write(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return;
      }
    }
    for (int i = 0; i < n; i++) {
      obuf[opos++] = (byte) s.charAt(i);
    }
  }

  private void flushBuffer() throws IOException {
    if (opos > 0) {
      int n = opos;
      opos = 0;
      out.write(obuf, 0, n);
    }
  }

  void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  /** Sends what is buffered and the end of the stream, then reads and drops the client's bytes until it closes, the time is up or the limit is read. */
  void closeLingering(long millis, int maxBytes) {
    try {
      flush();
      socket.shutdownOutput();
      long deadline = System.nanoTime() + millis * 1_000_000;
      byte[] drop = new byte[8192];
      for (int total = 0; total < maxBytes; ) {
        int n = ipos < ilim ? skipBuffered() : timedRead(drop, 0, drop.length, deadline);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException ignored) {
      // gone or out of time: close now
    } finally {
      close();
    }
  }

  private int skipBuffered() {
    int n = ilim - ipos;
    ipos = ilim;
    return n;
  }

  void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** The head outgrew its limit. */
  static final class HeadTooLarge extends IOException {
    HeadTooLarge() {
      super("request head too large");
    }
  }
}
