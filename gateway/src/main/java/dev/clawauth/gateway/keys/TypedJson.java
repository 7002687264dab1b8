package dev.clawauth.gateway.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import java.nio.file.Path;

/** The gateway's own files read straight into their records, an error naming the file, line and column. */
public final class TypedJson {
  private TypedJson() {}

  /** {@code text}, the content of {@code file}, as a {@code type}; a record's own check failing is reported where it failed. */
  public static <T> T read(Path file, String text, Class<T> type) throws JsonFileException {
    if (text.isBlank()) {
      throw new JsonFileException(file, 1, 1, "the file is empty");
    }
    try {
      return Json.strict().readValue(text, type);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String problem = e.getCause() instanceof IllegalArgumentException bad ? bad.getMessage() : e.getOriginalMessage();
      throw new JsonFileException(file, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), problem);
    }
  }
}
