package dev.clawauth.gateway.translate;

import java.util.List;

/** One message of the conversation: tool results travel in user turns, tool calls in assistant turns. */
public record Turn(Role role, List<Block> content) {
  public enum Role { USER, ASSISTANT }
}
