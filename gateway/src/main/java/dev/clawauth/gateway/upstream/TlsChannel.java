package dev.clawauth.gateway.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over a non-blocking socket with an {@link SSLEngine} in client mode, verifying the server's
 * name. Each direction keeps its bytes in its own buffer, always left ready to drain: {@code netIn}
 * holds received records not yet unwrapped, {@code appIn} plaintext not yet read, {@code netOut}
 * records not yet written.
 */
final class TlsChannel implements UpstreamTransport {
  private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

  private final SocketChannel channel;
  private final SSLEngine engine;
  private ByteBuffer netIn;
  private ByteBuffer appIn;
  private ByteBuffer netOut;
  private int waitsFor = SelectionKey.OP_WRITE;
  private boolean inboundDone;
  private boolean closed;

  private TlsChannel(SocketChannel channel, SSLEngine engine) {
    this.channel = channel;
    this.engine = engine;
    int packet = engine.getSession().getPacketBufferSize();
    netIn = ByteBuffer.allocate(packet).flip();
    netOut = ByteBuffer.allocate(packet).flip();
    appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
  }

  /** A client engine for {@code host} (SNI unless it is an address literal), its handshake begun. */
  static TlsChannel client(SocketChannel channel, SSLContext tls, String host, int port, boolean literal)
      throws SSLException {
    SSLEngine engine = tls.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!literal) {
      // RFC 6066 allows no address in SNI; the certificate is still checked against it.
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    p.setApplicationProtocols(new String[] {"http/1.1"});
    engine.setSSLParameters(p);
    engine.beginHandshake();
    return new TlsChannel(channel, engine);
  }

  @Override
  public boolean handshake() throws IOException {
    while (true) {
      if (!flushNet()) {
        waitsFor = SelectionKey.OP_WRITE;
        return false;
      }
      switch (engine.getHandshakeStatus()) {
        case NOT_HANDSHAKING, FINISHED -> {
          return true;
        }
        case NEED_TASK -> runTasks();
        case NEED_WRAP -> {
          if (wrap(NOTHING, 0, 1).getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLHandshakeException("TLS closed during the handshake");
          }
        }
        default -> {
          SSLEngineResult.Status s = netIn.hasRemaining() ? unwrap().getStatus()
              : SSLEngineResult.Status.BUFFER_UNDERFLOW;
          if (s == SSLEngineResult.Status.CLOSED) {
            throw new SSLHandshakeException("remote host closed the TLS connection during the handshake");
          }
          if (s == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            int n = readNet();
            if (n < 0) {
              throw new SSLHandshakeException("remote host closed the connection during the TLS handshake");
            }
            if (n == 0) {
              waitsFor = SelectionKey.OP_READ;
              return false;
            }
          }
        }
      }
    }
  }

  @Override
  public int handshakeWaitsFor() {
    return waitsFor;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    while (true) {
      if (appIn.hasRemaining()) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        int lim = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(lim);
        return n;
      }
      if (inboundDone) {
        return -1;
      }
      SSLEngineResult.Status s = SSLEngineResult.Status.BUFFER_UNDERFLOW;
      if (netIn.hasRemaining()) {
        SSLEngineResult r = unwrap();
        // A result that moved nothing (the engine waits for a write) is treated as wanting bytes.
        s = r.bytesConsumed() == 0 && r.bytesProduced() == 0 && r.getStatus() == SSLEngineResult.Status.OK
            ? SSLEngineResult.Status.BUFFER_UNDERFLOW : r.getStatus();
      }
      if (s == SSLEngineResult.Status.CLOSED) {
        inboundDone = true;
      } else if (s == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
        int n = readNet();
        if (n < 0) {
          // An end without close_notify: the HTTP framing says whether anything was cut short.
          inboundDone = true;
        } else if (n == 0) {
          return 0;
        }
      }
    }
  }

  @Override
  public boolean hasBuffered() {
    return appIn.hasRemaining() || netIn.hasRemaining();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long taken = 0;
    while (flushNet()) {
      boolean more = false;
      for (int i = offset; i < offset + length && !more; i++) {
        more = srcs[i].hasRemaining();
      }
      if (!more) {
        break;
      }
      SSLEngineResult r = wrap(srcs, offset, length);
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
        throw new SSLException("TLS connection closed");
      }
      taken += r.bytesConsumed();
    }
    return taken;
  }

  @Override
  public boolean flushed() {
    return !netOut.hasRemaining();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      engine.closeOutbound();
      if (!netOut.hasRemaining()) {
        wrap(NOTHING, 0, 1);
        channel.write(netOut);
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort: the socket closes anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  /** Writes pending records; true when none are left. */
  private boolean flushNet() throws IOException {
    while (netOut.hasRemaining()) {
      if (channel.write(netOut) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Wraps into the (drained) {@code netOut}, growing it on overflow. */
  private SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
    while (true) {
      netOut.clear();
      SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
      netOut.flip();
      if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
        runTasks();
        return r;
      }
      netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()))
          .flip();
    }
  }

  /**
   * Unwraps one record from {@code netIn} into {@code appIn}; on underflow, makes sure {@code netIn}
   * can hold a whole record. A renegotiation or key update the record asks for is answered here.
   */
  private SSLEngineResult unwrap() throws IOException {
    while (true) {
      appIn.compact();
      SSLEngineResult r;
      try {
        r = engine.unwrap(netIn, appIn);
      } finally {
        appIn.flip();
      }
      runTasks();
      switch (r.getStatus()) {
        case BUFFER_OVERFLOW -> {
          int need = engine.getSession().getApplicationBufferSize() + appIn.remaining();
          appIn = ByteBuffer.allocate(Math.max(need, appIn.capacity() * 2)).put(appIn).flip();
        }
        case BUFFER_UNDERFLOW -> {
          int packet = engine.getSession().getPacketBufferSize();
          if (netIn.capacity() < packet) {
            netIn = ByteBuffer.allocate(packet).put(netIn).flip();
          }
          return r;
        }
        default -> {
          if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP && flushNet()) {
            wrap(NOTHING, 0, 1);
            flushNet();
          }
          return r;
        }
      }
    }
  }

  /** Reads records from the socket into {@code netIn}: the count, 0 or -1. */
  private int readNet() throws IOException {
    netIn.compact();
    try {
      if (!netIn.hasRemaining()) {
        netIn = ByteBuffer.allocate(netIn.capacity() * 2).put(netIn.flip());
      }
      return channel.read(netIn);
    } finally {
      netIn.flip();
    }
  }

  private void runTasks() {
    for (Runnable t; (t = engine.getDelegatedTask()) != null;) {
      t.run();
    }
  }
}
