package dev.clawauth.gateway.translate;

/** Why a model stopped, in terms every dialect can express. */
enum StopReason {
  END_TURN("end_turn", "stop"),
  MAX_TOKENS("max_tokens", "length"),
  TOOL_USE("tool_use", "tool_calls"),
  STOP_SEQUENCE("stop_sequence", "stop"),
  REFUSAL("refusal", "content_filter");

  private final String messages;
  private final String chat;

  StopReason(String messages, String chat) {
    this.messages = messages;
    this.chat = chat;
  }

  /** Anthropic's {@code stop_reason}. */
  String messages() {
    return messages;
  }

  /** Chat Completions' {@code finish_reason}. */
  String chat() {
    return chat;
  }

  static StopReason fromMessages(String reason) {
    return switch (reason) {
      case "max_tokens", "model_context_window_exceeded" -> MAX_TOKENS;
      case "tool_use" -> TOOL_USE;
      case "stop_sequence" -> STOP_SEQUENCE;
      case "refusal" -> REFUSAL;
      default -> END_TURN;
    };
  }

  static StopReason fromChat(String reason) {
    return switch (reason) {
      case "length" -> MAX_TOKENS;
      case "tool_calls", "function_call" -> TOOL_USE;
      case "content_filter" -> REFUSAL;
      default -> END_TURN;
    };
  }
}
