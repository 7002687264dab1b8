package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Rewrites a client's request body into the upstream's dialect. */
public final class Requests {
  private Requests() {}

  /**
   * The request for {@code to}, from a body in the client's dialect {@code from}.
   *
   * @throws Unsupported when the request uses a field {@code to} has no counterpart for
   */
  public static ObjectNode translate(Dialect from, ObjectNode body, Target to) throws Unsupported {
    Conversation c = switch (from) {
      case MESSAGES -> MessagesRequests.read(body, to);
      case CHAT_COMPLETIONS -> ChatRequests.read(body, to);
      case RESPONSES -> ResponsesRequests.read(body, to);
    };
    if (c.stop() != null && !c.stop().isEmpty() && to.dialect() == Dialect.RESPONSES) {
      throw Fields.noCounterpart(from == Dialect.MESSAGES ? "stop_sequences" : "stop", to);
    }
    return switch (to.dialect()) {
      case MESSAGES -> MessagesRequests.write(c, to);
      case CHAT_COMPLETIONS -> ChatRequests.write(c, to);
      case RESPONSES -> ResponsesRequests.write(c, to);
    };
  }
}
