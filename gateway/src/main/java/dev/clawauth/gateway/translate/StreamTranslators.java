package dev.clawauth.gateway.translate;

import java.time.Clock;

/** Makes the {@link StreamTranslator} for an upstream dialect and a client dialect. */
public final class StreamTranslators {
  private StreamTranslators() {}

  /**
   * A translator from {@code upstream}'s event stream to {@code client}'s: its event stream when
   * {@code clientStreams}, else its complete JSON body. {@code usageChunk}: a Chat Completions
   * stream ends with a usage chunk, which OpenAI sends only to a client that asked for it.
   * {@code clientModel} is the model name the client sees in every event.
   */
  public static StreamTranslator create(Dialect upstream, Dialect client, boolean clientStreams, boolean usageChunk,
      String clientModel) {
    return create(upstream, client, clientStreams, usageChunk, clientModel, Clock.systemUTC());
  }

  static StreamTranslator create(Dialect upstream, Dialect client, boolean clientStreams, boolean usageChunk,
      String clientModel, Clock clock) {
    long created = clock.instant().getEpochSecond();
    StreamReader reader = switch (upstream) {
      case MESSAGES -> new MessagesStreamReader();
      case CHAT_COMPLETIONS -> new ChatStreamReader();
      case RESPONSES -> new ResponsesStreamReader();
    };
    ClientWriter writer = !clientStreams ? new ReplyWriter(client, clientModel, created) : switch (client) {
      case MESSAGES -> new MessagesStreamWriter(clientModel);
      case CHAT_COMPLETIONS -> new ChatStreamWriter(clientModel, created, usageChunk);
      case RESPONSES -> new ResponsesStreamWriter(clientModel, created);
    };
    return new TranslatingStream(reader, writer, clientStreams);
  }
}
