package dev.clawauth.gateway.translate;

import java.util.List;

/** A whole answer, gathered from a stream: what a non-streaming body and Responses' final event carry. */
record Reply(String id, List<Part> parts, StopReason stop, TokenUsage usage) {
  /** One piece of the answer's content, in order. */
  sealed interface Part {}

  record Text(String text) implements Part {}

  record ToolCall(String id, String name, String arguments) implements Part {}

  Reply withId(String newId) {
    return new Reply(newId, parts, stop, usage);
  }

  boolean hasToolCalls() {
    return parts.stream().anyMatch(p -> p instanceof ToolCall);
  }

  /** All the text parts joined, or null when there is none (Chat Completions' {@code content}). */
  String text() {
    StringBuilder sb = new StringBuilder();
    boolean any = false;
    for (Part p : parts) {
      if (p instanceof Text t) {
        sb.append(t.text());
        any = true;
      }
    }
    return any ? sb.toString() : null;
  }
}
