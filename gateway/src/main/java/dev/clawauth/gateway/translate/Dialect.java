package dev.clawauth.gateway.translate;

/** The three request/response shapes the gateway speaks, on either side of a call. */
public enum Dialect {
  /** Anthropic's {@code /v1/messages}. */
  MESSAGES,
  /** OpenAI's {@code /v1/chat/completions} (also OpenRouter and most OpenAI-compatible servers). */
  CHAT_COMPLETIONS,
  /** OpenAI's {@code /v1/responses} (also ChatGPT's Codex backend). */
  RESPONSES
}
