package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.clawauth.gateway.translate.StreamEvent.End;
import dev.clawauth.gateway.translate.StreamEvent.Failure;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Parses upstream events, reads them in the upstream's dialect and writes them in the client's. */
final class TranslatingStream implements StreamTranslator {
  private static final byte[] NOTHING = new byte[0];

  private final SseParser parser = new SseParser();
  private final StreamReader reader;
  private final ClientWriter writer;
  /** Whether the client gets bytes as they come; else all of them, the whole body, at {@link #finish}. */
  private final boolean clientStreams;
  private TokenUsage usage = TokenUsage.NONE;
  private boolean over;
  private String failure;

  TranslatingStream(StreamReader reader, ClientWriter writer, boolean clientStreams) {
    this.reader = reader;
    this.writer = writer;
    this.clientStreams = clientStreams;
  }

  @Override
  public byte[] feed(ByteBuffer upstream) {
    if (over) {
      // Nothing after the final event or a failure reaches the client; no need to read it.
      upstream.position(upstream.limit());
    } else {
      try {
        parser.feed(upstream, this::read);
      } catch (SseParser.LineTooLong e) {
        upstream.position(upstream.limit());
        forward(new Failure(e.getMessage()));
      }
    }
    return clientStreams ? writer.drain() : NOTHING;
  }

  @Override
  public byte[] finish() {
    forward(new Failure("the upstream stream ended before its final event"));
    return writer.drain();
  }

  @Override
  public TokenUsage usage() {
    return usage;
  }

  @Override
  public String failure() {
    return failure;
  }

  private void read(SseParser.Event event) {
    if (over) {
      return;
    }
    try {
      reader.read(event, this::forward);
    } catch (JsonProcessingException e) {
      forward(new Failure("the upstream sent an event that is not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      forward(new Failure("the upstream sent an unreadable event: " + e.getMessage()));
    }
  }

  private void forward(StreamEvent event) {
    if (over) {
      return;
    }
    StreamEvent e = event;
    switch (event) {
      case StreamEvent.Start s -> count(s.usage());
      case StreamEvent.Usage u -> {
        count(u.usage());
        e = new StreamEvent.Usage(usage);
      }
      case End x -> over = true;
      case Failure f -> {
        over = true;
        failure = f.message();
        e = new Failure("upstream error: " + f.message());
      }
      default -> { }
    }
    writer.accept(e);
  }

  /** Providers report input and output tokens in different events; a zero means "not in this one". */
  private void count(TokenUsage reported) {
    usage = new TokenUsage(reported.input() > 0 ? reported.input() : usage.input(),
        reported.output() > 0 ? reported.output() : usage.output());
  }
}
