package dev.clawauth.gateway.translate;

import java.util.List;

/**
 * A whole model answer in the pivot shape: text and tool-use blocks, why it stopped, and usage.
 * {@code usage.input} counts the uncached input only, as Anthropic reports it.
 */
public record Reply(String id, List<Block> content, Stop stop, String stopSequence, Usage usage) {

  public enum Stop { END_TURN, MAX_TOKENS, TOOL_USE, STOP_SEQUENCE, REFUSAL }

  public record Usage(long input, long output, long cacheRead, long cacheWrite) {
    /** All input tokens, as OpenAI counts them: cached ones included. */
    public long promptTokens() {
      return input + cacheRead + cacheWrite;
    }
  }
}
