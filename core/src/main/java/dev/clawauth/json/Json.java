package dev.clawauth.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The two JSON dialects Clawauth reads: strict JSON for stores, JSON5 for config files.
 * Both keep object key order, so a read-modify-write leaves the file's layout alone.
 */
public final class Json {
  private Json() {}

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  // Jackson covers the JSON5 that people write by hand; hex numbers and line continuations are not
  // accepted and are reported with their position like any other syntax error.
  private static final ObjectMapper JSON5 = JsonMapper.builder(JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
          .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
          .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
          .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  public static ObjectMapper strict() {
    return STRICT;
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Parses strict JSON; syntax errors become {@link JsonFileException} naming file, line and column. */
  public static JsonNode parseStrict(Path file, String text) throws JsonFileException {
    return parse(STRICT, file, text);
  }

  public static JsonNode parseJson5(Path file, String text) throws JsonFileException {
    // JSON5 counts U+FEFF as white space (editors on Windows put it first); Jackson does not.
    return parse(JSON5, file, text.startsWith("\uFEFF") ? text.substring(1) : text);
  }

  private static JsonNode parse(ObjectMapper mapper, Path file, String text) throws JsonFileException {
    if (text.isBlank()) {
      throw new JsonFileException(file, 1, 1, "the file is empty");
    }
    try (JsonParser parser = mapper.createParser(text)) {
      JsonNode node = mapper.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new JsonFileException(file, 1, 1, "the file holds no JSON value");
      }
      return node;
    } catch (JsonParseException e) {
      var loc = e.getLocation();
      throw new JsonFileException(file, loc == null ? 0 : loc.getLineNr(),
          loc == null ? 0 : loc.getColumnNr(), e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new JsonFileException(file, loc == null ? 0 : loc.getLineNr(),
          loc == null ? 0 : loc.getColumnNr(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new JsonFileException(file, 0, 0, e.getMessage());
    }
  }
}
