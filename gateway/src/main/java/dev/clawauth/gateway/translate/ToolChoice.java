package dev.clawauth.gateway.translate;

/** Whether and which tool the model must call; {@code name} only for {@link Kind#TOOL}. */
public record ToolChoice(Kind kind, String name) {
  public enum Kind {
    /** The model decides. */
    AUTO,
    /** Some tool must be called (OpenAI "required", Anthropic "any"). */
    ANY,
    /** No tool may be called. */
    NONE,
    /** The named tool must be called. */
    TOOL
  }
}
