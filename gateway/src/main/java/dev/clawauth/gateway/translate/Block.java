package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One piece of a turn's content, as the Messages API holds it. {@code cache} is the block's
 * {@code cache_control} marker, null when it has none.
 */
public sealed interface Block {
  JsonNode cache();

  record Text(String text, JsonNode cache) implements Block {}

  /** An image given inline ({@code mediaType} and base64 {@code data}) or by {@code url}. */
  record Image(String mediaType, String data, String url, JsonNode cache) implements Block {
    /** The image as a URL: its own, or a data URL of the inline bytes. */
    public String asUrl() {
      return url != null ? url : "data:" + mediaType + ";base64," + data;
    }

    /** An image from a URL, which may be a data URL of inline bytes. */
    static Image ofUrl(String url, JsonNode cache) {
      if (url.startsWith("data:")) {
        int semi = url.indexOf(";base64,");
        if (semi > 5) {
          return new Image(url.substring(5, semi), url.substring(semi + 8), null, cache);
        }
      }
      return new Image(null, null, url, cache);
    }
  }

  /** The model's call of a tool; {@code input} is the arguments object. */
  record ToolUse(String id, String name, JsonNode input, JsonNode cache) implements Block {}

  /** What a tool returned for the call {@code toolUseId}: text and image blocks. */
  record ToolResult(String toolUseId, List<Block> content, boolean error, JsonNode cache) implements Block {}
}
