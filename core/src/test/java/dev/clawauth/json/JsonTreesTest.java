package dev.clawauth.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Json}'s parser (a tree built from the streaming parser, for start-up speed) against the
 * ObjectMapper.readTree it replaced: the same tree with the same node types and key order, and
 * the same error, line and column for input that does not parse.
 */
class JsonTreesTest {
  static final Path FILE = Path.of("/state/auth-profiles.json");

  static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  static final ObjectMapper JSON5 = JsonMapper.builder(JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
              JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
              JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
              JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
              JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
              JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS,
              JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
              JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  static Stream<String> strictInputs() throws Exception {
    Stream<String> handMade = Stream.of(
        "{}", "[]", "1", "\"s\"", "null", "true",
        "{\"a\":1,\"b\":2147483648,\"c\":92233720368547758070,\"d\":-0,\"e\":1.5,\"f\":-0.0,\"h\":1E-5}",
        "{\"x\":[1,{\"y\":null}],\"z\":\"last\"}",
        "{\"nested\":{\"deep\":[[[[{\"k\":false}]]]]},\"u\":\"\\u00e9\\n\\\"\"}",
        "{\"a\":1} {\"b\":2}", "{\"a\":1}\n]", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "{\"a\":01}",
        "{\"a\":[1,2", "[1,2,]", "{\"a\":NaN}", "  \n", "// c\n{}", "{\"a\":\"tab\there\"}");
    Path examples = Path.of("src/test/resources/spec-examples");
    Stream<String> spec = Files.list(examples).sorted().map(p -> {
      try {
        return Files.readString(p);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return Stream.concat(handMade, spec);
  }

  static Stream<String> json5Inputs() {
    return Stream.of(
        "{ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: [], }, }, }, }",
        "// comment\n# yaml comment\n{ /* block */ a: +1, b: .5, c: 5., d: NaN, e: -Infinity, 'f': 'x\\'y' }",
        "{ a: 1 } trailing", "{ a: 0x10 }", "{ a: 1 \\\n }", "// only a comment\n", "{ a: [1, 2,, ] }",
        "{ env: { ANTHROPIC_API_KEY: \"sk-ant-FAKE\", shellEnv: { enabled: true, timeoutMs: 15000 } } }");
  }

  @org.junit.jupiter.api.Test
  void aNumberBeyondADoublesRangeIsWrittenBackAsItWasReadNotAsInfinity() throws Exception {
    JsonNode n = Json.parseStrict(FILE, "{\"expires\":1e400,\"small\":1.5}");
    String written = JsonText.pretty(n);
    assertThat(written).contains("\"expires\": 1E+400").contains("\"small\": 1.5").doesNotContain("Infinity");
    assertThat(Json.parseStrict(FILE, written)).isEqualTo(n);
  }

  @org.junit.jupiter.api.Test
  void aRepeatedKeyInAStoreIsAnErrorAtItsPositionNotASilentlyLostProfile() {
    JsonFileException e = catchThrowableOfType(JsonFileException.class, () -> Json.parseStrict(FILE,
        "{\"profiles\":{\n \"anthropic:a\":{},\n \"anthropic:a\":{}}}"));
    assertThat(e).isNotNull();
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).as("where the second key begins").isEqualTo(2);
    assertThat(e.problem()).containsIgnoringCase("duplicate").contains("\"anthropic:a\"")
        .contains("keep one of the two entries");
    // A key shaped like a secret is still not shown.
    JsonFileException secret = catchThrowableOfType(JsonFileException.class, () -> Json.parseStrict(FILE,
        "{\"sk-ant-api03-" + "z".repeat(30) + "\":1,\"sk-ant-api03-" + "z".repeat(30) + "\":2}"));
    assertThat(secret.getMessage()).contains("duplicate key").doesNotContain("z".repeat(30));
  }

  @ParameterizedTest
  @MethodSource("strictInputs")
  void strictParsingMatchesReadTree(String text) throws Exception {
    compare(STRICT, text, false);
  }

  @ParameterizedTest
  @MethodSource("json5Inputs")
  void json5ParsingMatchesReadTree(String text) throws Exception {
    compare(JSON5, text, true);
  }

  private static void compare(ObjectMapper mapper, String text, boolean json5) throws Exception {
    JsonNode expected = null;
    Exception expectedError = null;
    try {
      expected = text.isBlank() ? null : mapper.readTree(mapper.createParser(text));
    } catch (Exception e) {
      expectedError = e;
    }
    if (expected != null && !expected.isMissingNode()) {
      JsonNode actual = json5 ? Json.parseJson5(FILE, text) : Json.parseStrict(FILE, text);
      assertThat(actual).isEqualTo(expected);
      assertSameShape(actual, expected);
      return;
    }
    JsonFileException actual = catchThrowableOfType(JsonFileException.class,
        () -> {
          if (json5) {
            Json.parseJson5(FILE, text);
          } else {
            Json.parseStrict(FILE, text);
          }
        });
    assertThat(actual).as("parse error for %s", text).isNotNull();
    if (expectedError instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
      var loc = jpe.getLocation();
      assertThat(actual.getMessage()).isEqualTo(
          new JsonFileException(FILE, loc.getLineNr(), loc.getColumnNr(), jpe.getOriginalMessage()).getMessage());
    }
  }

  /** Node classes and key order, which equals() alone does not fully pin down. */
  private static void assertSameShape(JsonNode actual, JsonNode expected) {
    assertThat(actual.getClass()).isEqualTo(expected.getClass());
    if (expected.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> a = actual.fields();
      Iterator<Map.Entry<String, JsonNode>> e = expected.fields();
      while (e.hasNext()) {
        var ee = e.next();
        var ae = a.next();
        assertThat(ae.getKey()).isEqualTo(ee.getKey());
        assertSameShape(ae.getValue(), ee.getValue());
      }
      assertThat(a.hasNext()).isFalse();
    } else if (expected.isArray()) {
      for (int i = 0; i < expected.size(); i++) {
        assertSameShape(actual.get(i), expected.get(i));
      }
    }
  }
}
