package dev.clawauth.gateway.upstream;

import dev.clawauth.gateway.upstream.LoopUpstreamClient.Exchange;
import dev.clawauth.gateway.upstream.LoopUpstreamClient.Listener;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** One POST: its request, its listener, and the connection carrying it. */
final class UpstreamCall implements Exchange {
  final UpstreamPool pool;
  final URI uri;
  final String host;
  final int port;
  final boolean secure;
  final String key;
  final Map<String, String> headers;
  final byte[] body;
  final long timeoutNanos;
  final Listener listener;
  UpstreamConnection conn;
  /** onEnd or onError was called, or is on its way, or the post was cancelled. */
  boolean over;
  boolean cancelled;
  boolean paused;
  boolean wantResume;
  boolean resumeQueued;
  boolean inPost;

  UpstreamCall(UpstreamPool pool, URI uri, String host, int port, boolean secure, String key,
      Map<String, String> headers, byte[] body, long timeoutNanos, Listener listener) {
    this.pool = pool;
    this.uri = uri;
    this.host = host;
    this.port = port;
    this.secure = secure;
    this.key = key;
    this.headers = headers;
    this.body = body;
    this.timeoutNanos = timeoutNanos;
    this.listener = listener;
  }

  /** Sends on the newest pooled connection, or on a new one if none is fit. */
  void start() {
    while (true) {
      UpstreamConnection c = pool.take(key);
      if (c == null) {
        c = new UpstreamConnection(pool, key, host, port, secure);
        conn = c;
        c.open(this);
        return;
      }
      try {
        c.send(this);
        return;
      } catch (IOException | RuntimeException e) {
        boolean untouched = c.written == 0;
        c.close();
        conn = null;
        if (!untouched) {
          error(e instanceof IOException io ? io : new IOException(e));
          return;
        }
        // It died idle before taking a byte of this request: another connection may carry it.
      }
    }
  }

  void head(int status, Map<String, List<String>> h) {
    listener.onHead(status, h);
  }

  void data(ByteBuffer b) {
    listener.onBody(b);
  }

  void end() {
    over = true;
    conn = null;
    try {
      listener.onEnd();
    } catch (RuntimeException e) {
      // The request is done and its connection pooled: the listener's fault is only logged.
      pool.loop.execute(() -> {
        throw e;
      });
    }
  }

  void error(IOException e) {
    if (over) {
      return;
    }
    over = true;
    conn = null;
    if (inPost) {
      pool.loop.execute(() -> {
        if (!cancelled) {
          listener.onError(e);
        }
      });
      return;
    }
    try {
      listener.onError(e);
    } catch (RuntimeException thrown) {
      // As in end: the listener's fault is only logged. Thrown on, it would cut short the sweep or
      // closeAll that called this, and the requests after this one would never hear.
      pool.loop.execute(() -> {
        throw thrown;
      });
    }
  }

  @Override
  public void pause() {
    if (!pool.loop.inLoop()) {
      pool.loop.execute(this::pause);
      return;
    }
    if (over) {
      return;
    }
    paused = true;
    wantResume = false;
    if (conn != null) {
      conn.updateOps();
    }
  }

  @Override
  public void resume() {
    if (!pool.loop.inLoop()) {
      pool.loop.execute(this::resume);
      return;
    }
    if (over || !paused) {
      return;
    }
    wantResume = true;
    if (!resumeQueued) {
      resumeQueued = true;
      pool.loop.execute(this::resumeNow);
    }
  }

  private void resumeNow() {
    resumeQueued = false;
    if (over || !wantResume) {
      return;
    }
    wantResume = false;
    paused = false;
    if (conn != null) {
      conn.resumed(this);
    }
  }

  @Override
  public void cancel() {
    if (!pool.loop.inLoop()) {
      pool.loop.execute(this::cancel);
      return;
    }
    cancelled = true;
    if (over) {
      return;
    }
    over = true;
    UpstreamConnection c = conn;
    conn = null;
    if (c != null) {
      c.close();
    }
  }
}
