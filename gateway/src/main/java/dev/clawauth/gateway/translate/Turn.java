package dev.clawauth.gateway.translate;

import java.util.List;

/** One message of the conversation: tool results travel in user turns, tool calls in assistant turns. */
public record Turn(Role role, List<Block> content) {
  /** {@code SYSTEM} is an instruction in the middle of the conversation (Claude Code sends them). */
  public enum Role { USER, ASSISTANT, SYSTEM }
}
