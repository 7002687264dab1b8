package dev.clawauth.gateway.translate;

import dev.clawauth.gateway.Api;

/** Gathers the whole answer and writes it as the client dialect's JSON body, for a client that did not stream. */
final class ReplyWriter implements ClientWriter {
  private static final byte[] NOTHING = new byte[0];

  private final ReplyBuilder reply = new ReplyBuilder();
  private final Dialect client;
  private final String model;
  private final long created;
  private byte[] body;

  ReplyWriter(Dialect client, String model, long created) {
    this.client = client;
    this.model = model;
    this.created = created;
  }

  @Override
  public void accept(StreamEvent event) {
    if (body != null) {
      return;
    }
    switch (event) {
      case StreamEvent.End x -> body = ReplyBodies.body(client, reply.build(), model, created);
      case StreamEvent.Failure f -> body = Api.of(client).error(502, f.message());
      default -> reply.accept(event);
    }
  }

  /** The whole body once the answer ended (the translator asks only then), else nothing. */
  @Override
  public byte[] drain() {
    if (body == null) {
      return NOTHING;
    }
    byte[] b = body;
    body = NOTHING;
    return b;
  }
}
