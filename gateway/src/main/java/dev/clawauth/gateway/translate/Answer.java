package dev.clawauth.gateway.translate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One upstream success answer on its way to the client. An event stream is translated as it
 * arrives (into the client's stream, or gathered into its whole answer); a whole JSON answer is
 * buffered, up to a limit, and translated at its end.
 */
public final class Answer {
  private static final byte[] NONE = new byte[0];

  private final Crossing crossing;
  private final StreamTranslator stream;
  private final ByteArrayOutputStream whole;
  private final long limit;
  private TokenUsage usage = TokenUsage.NONE;

  Answer(Crossing crossing, boolean upstreamSse, long limit) {
    this.crossing = crossing;
    this.limit = limit;
    this.stream = upstreamSse ? StreamTranslators.create(crossing.target().dialect(), crossing.client(),
        crossing.clientStreams(), crossing.usageChunk(), crossing.target().clientModel()) : null;
    this.whole = upstreamSse && crossing.clientStreams() ? null : new ByteArrayOutputStream();
  }

  /** Thrown when a whole answer is larger than the gateway buffers. */
  public static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("the upstream's answer is larger than " + limit + " bytes, the most the gateway translates whole",
          null);
    }
  }

  /** Whether bytes for the client come as the answer arrives (else all at {@link #finish}). */
  public boolean streamsToClient() {
    return stream != null && crossing.clientStreams();
  }

  /** The next upstream bytes; returns the client's bytes ready now, possibly none. */
  public byte[] feed(ByteBuffer data) throws TooLarge {
    if (stream != null) {
      byte[] out = stream.feed(data);
      if (crossing.clientStreams()) {
        return out;
      }
      // A whole answer goes out at once, with its length, whenever the translator has it ready.
      if (whole.size() + (long) out.length > limit) {
        throw new TooLarge(limit);
      }
      whole.writeBytes(out);
      return NONE;
    }
    if (whole.size() + (long) data.remaining() > limit) {
      throw new TooLarge(limit);
    }
    if (data.hasArray()) {
      whole.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
      data.position(data.limit());
    } else {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      whole.writeBytes(b);
    }
    return NONE;
  }

  /**
   * The upstream ended: the client's last bytes, or its whole answer.
   *
   * @throws IOException when a whole answer is not one in the upstream's dialect, a streamed
   *     client got a whole answer the gateway does not turn into a stream, or a stream gathered
   *     for a client that did not stream failed
   */
  public byte[] finish() throws IOException {
    if (stream != null) {
      byte[] out = stream.finish();
      usage = stream.usage();
      if (crossing.clientStreams()) {
        return out;
      }
      if (stream.failure() != null) {
        // A gathered answer that failed must not reach the client as a 200.
        throw new IOException(stream.failure());
      }
      whole.writeBytes(out);
      return whole.toByteArray();
    }
    if (crossing.clientStreams()) {
      throw new IOException("the upstream answered a streamed request with a whole answer");
    }
    Reply r = Replies.read(crossing.target().dialect(), whole.toByteArray());
    usage = r.usage();
    return Replies.write(r, crossing.client(), crossing.target().clientModel());
  }

  /** Tokens the upstream reported, once finished. */
  public TokenUsage usage() {
    return stream != null ? stream.usage() : usage;
  }
}
