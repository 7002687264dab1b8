package dev.clawauth.gateway.translate;

/**
 * Where a translated request goes: the upstream's dialect and model id, the model name the client
 * knows (named in errors), and what that upstream needs besides its dialect.
 *
 * @param codex ChatGPT's Codex backend: streams only, stores nothing, needs {@code instructions}
 * @param defaultMaxTokens the Messages API's required {@code max_tokens} when the client gave none
 * @param maxCompletionTokens Chat Completions' length limit as {@code max_completion_tokens} (OpenAI's
 *     own API, where reasoning models refuse {@code max_tokens}) rather than {@code max_tokens}
 */
public record Target(Dialect dialect, String model, String clientModel, boolean codex, long defaultMaxTokens,
    boolean maxCompletionTokens) {

  /** The API's name as errors say it. */
  public String apiName() {
    return switch (dialect) {
      case MESSAGES -> "the Messages API";
      case CHAT_COMPLETIONS -> "the Chat Completions API";
      case RESPONSES -> codex ? "the Codex Responses backend" : "the Responses API";
    };
  }

  /** Whether the upstream is asked for a stream: the client's choice, except Codex which only streams. */
  public boolean streams(boolean clientStreams) {
    return clientStreams || codex;
  }
}
