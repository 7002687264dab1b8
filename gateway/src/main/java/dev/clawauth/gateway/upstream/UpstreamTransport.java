package dev.clawauth.gateway.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The application bytes of one upstream connection, plain or through TLS, so that the HTTP code is
 * the same for both schemes. Non-blocking; touched only from the connection's event loop.
 */
interface UpstreamTransport {
  /** Advances the TLS handshake without blocking; true once it is done (at once for plain). */
  boolean handshake() throws IOException;

  /** What the unfinished handshake waits for: {@code OP_READ} or {@code OP_WRITE}. */
  int handshakeWaitsFor();

  /** Reads into {@code dst}: the count (0 when nothing is ready), or -1 at the end of the stream. */
  int read(ByteBuffer dst) throws IOException;

  /** Whether a {@link #read} may return bytes without the socket becoming readable. */
  boolean hasBuffered();

  /** Takes what it can of {@code srcs} without blocking; returns how many bytes it took. */
  long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

  /** Whether everything taken by {@link #write} has left for the socket. */
  boolean flushed();

  /** Closes the connection (TLS: after a best-effort close_notify). */
  void close();

  /** A plain TCP connection: every call is one system call at most. */
  final class Plain implements UpstreamTransport {
    private final SocketChannel channel;

    Plain(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public boolean handshake() {
      return true;
    }

    @Override
    public int handshakeWaitsFor() {
      return 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return channel.read(dst);
    }

    @Override
    public boolean hasBuffered() {
      return false;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return length == 1 ? channel.write(srcs[offset]) : channel.write(srcs, offset, length);
    }

    @Override
    public boolean flushed() {
      return true;
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
