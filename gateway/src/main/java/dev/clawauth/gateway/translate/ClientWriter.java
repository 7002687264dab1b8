package dev.clawauth.gateway.translate;

import dev.clawauth.gateway.Api;

/** Turns {@link StreamEvent}s into one client dialect's bytes. */
interface ClientWriter {
  /** Takes the next event; nothing after an {@code End} or a {@code Failure} is written. */
  void accept(StreamEvent event);

  /** The client bytes produced since the last call. */
  byte[] drain();

  /** The gateway's own API of a dialect, whose error shapes the writers reuse. */
  static Api api(Dialect dialect) {
    return switch (dialect) {
      case MESSAGES -> Api.ANTHROPIC_MESSAGES;
      case CHAT_COMPLETIONS -> Api.OPENAI_CHAT;
      case RESPONSES -> Api.OPENAI_RESPONSES;
    };
  }
}
