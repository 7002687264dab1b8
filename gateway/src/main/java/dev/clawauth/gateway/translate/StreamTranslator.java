package dev.clawauth.gateway.translate;

import java.nio.ByteBuffer;

/**
 * Rewrites one upstream server-sent-event stream into the client's dialect as it arrives, so a
 * stream is never buffered whole. Not thread-safe: one instance per call, driven from one thread.
 */
public interface StreamTranslator {
  /**
   * The next upstream bytes, split anywhere (inside a line or a UTF-8 sequence too); returns the
   * client bytes ready now, possibly none. Consumes the buffer.
   */
  byte[] feed(ByteBuffer upstream);

  /**
   * The upstream ended: the bytes that close the client's answer. When the client did not ask for a
   * stream, this is the whole JSON body. An upstream that ended before its final event closes with
   * the client dialect's stream error.
   */
  byte[] finish();

  /** Tokens the upstream reported so far. */
  TokenUsage usage();

  /**
   * Why the answer failed (the upstream's error event, or an end before its final event), or null.
   * When the client did not ask for a stream, {@link #finish()} is then an error body, to be sent
   * with a 502.
   */
  default String failure() {
    return null;
  }
}
