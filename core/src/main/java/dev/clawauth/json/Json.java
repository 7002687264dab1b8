package dev.clawauth.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

  // Reading builds the tree straight from a streaming parser: an ObjectMapper costs about 200
  // classes and a few hundred ms of a CLI run's start-up, for a tree readTree builds the same way.
  // A repeated key is an error in a store: a reader keeps one of the two profiles of one id, and
  // the next write would drop the other without a word.
  private static final JsonFactory STRICT_FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  // Jackson covers the JSON5 that people write by hand; hex numbers and line continuations are not
  // accepted and are reported with their position like any other syntax error.
  private static final JsonFactory JSON5_FACTORY = JsonFactory.builder()
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
      .build();

  /** Made on first use only; the CLI's read paths do not need it. */
  private static final class Mappers {
    static final ObjectMapper STRICT = JsonMapper.builder(new JsonFactory())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** A strict-JSON mapper with {@code FAIL_ON_TRAILING_TOKENS}, for callers that bind objects. */
  public static ObjectMapper strict() {
    return Mappers.STRICT;
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** Parses strict JSON; syntax errors become {@link JsonFileException} naming file, line and column. */
  public static JsonNode parseStrict(Path file, String text) throws JsonFileException {
    return parse(STRICT_FACTORY, file, text);
  }

  /**
   * Parses strict JSON held in a part of {@code file} (a database row); errors name {@code where}
   * and end with {@code advice}.
   */
  public static JsonNode parseStrict(Path file, String where, String advice, String text)
      throws JsonFileException {
    try {
      return parse(STRICT_FACTORY, file, text);
    } catch (JsonFileException e) {
      throw new JsonFileException(file, where, e.line(), e.column(), e.problem(), advice);
    }
  }

  public static JsonNode parseJson5(Path file, String text) throws JsonFileException {
    // JSON5 counts U+FEFF as white space (editors on Windows put it first); Jackson does not.
    return parse(JSON5_FACTORY, file, text.startsWith("\uFEFF") ? text.substring(1) : text);
  }

  private static JsonNode parse(JsonFactory factory, Path file, String text) throws JsonFileException {
    if (text.isBlank()) {
      throw new JsonFileException(file, 1, 1, "the file is empty");
    }
    try (JsonParser parser = factory.createParser(text)) {
      if (parser.nextToken() == null) {
        throw new JsonFileException(file, 1, 1, "the file holds no JSON value");
      }
      JsonNode node = JsonTrees.read(parser);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        // Word for word what ObjectMapper.readTree says with FAIL_ON_TRAILING_TOKENS.
        var loc = parser.currentTokenLocation();
        throw new JsonFileException(file, loc.getLineNr(), loc.getColumnNr(), "Trailing token (of type "
            + trailing + ") found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): not"
            + " allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
      }
      return node;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      int line = loc == null ? 0 : loc.getLineNr();
      int column = loc == null ? 0 : loc.getColumnNr();
      if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field ")) {
        column = keyStart(text, line, column);
      }
      throw new JsonFileException(file, line, column, e.getOriginalMessage());
    } catch (IOException e) {
      throw new JsonFileException(file, 0, 0, e.getMessage());
    }
  }

  /**
   * The column where the quoted key ending just before {@code column} of {@code line} begins: the
   * parser reports a repeated key where it ends, and the reader looks for where it starts.
   */
  private static int keyStart(String text, int line, int column) {
    String[] lines = text.split("\n", -1);
    if (line < 1 || line > lines.length) {
      return column;
    }
    String l = lines[line - 1];
    int close = column - 2;
    if (close < 0 || close >= l.length() || l.charAt(close) != '"') {
      return column;
    }
    for (int i = close - 1; i >= 0; i--) {
      if (l.charAt(i) == '"' && (i == 0 || l.charAt(i - 1) != '\\')) {
        return i + 1;
      }
    }
    return column;
  }
}
