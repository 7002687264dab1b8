package dev.clawauth.gateway.translate;

/** One step of a model's answer, as every upstream reader reports it and every client writer takes it. */
sealed interface StreamEvent {
  /** The answer began; {@code usage} holds what the upstream knew then (Anthropic's input tokens). */
  record Start(String id, TokenUsage usage) implements StreamEvent {}

  record TextDelta(String text) implements StreamEvent {}

  /** Tool call number {@code index} (0, 1, … in the order the model made them) began. */
  record ToolCallStart(int index, String id, String name) implements StreamEvent {}

  /** The next piece of tool call {@code index}'s JSON arguments. */
  record ToolArgumentsDelta(int index, String json) implements StreamEvent {}

  record Stop(StopReason reason) implements StreamEvent {}

  /** The tokens counted so far; a field the upstream has not reported yet is zero. */
  record Usage(TokenUsage usage) implements StreamEvent {}

  /** The upstream's final event arrived: the answer is complete. */
  record End() implements StreamEvent {}

  /** The upstream reported an error, or ended before its final event. */
  record Failure(String message) implements StreamEvent {}
}
