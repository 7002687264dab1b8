package dev.clawauth.gateway.translate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Binds upstream event data to the readers' records; fields the readers do not use are skipped. */
final class UpstreamJson {
  private UpstreamJson() {}

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  static ObjectReader reader(Class<?> type) {
    return MAPPER.readerFor(type);
  }

  /** An upstream error object: Anthropic's {@code {type, message}}, OpenAI's {@code {code, message}}. */
  record ErrorBody(String type, String code, String message) {
    String describe() {
      String kind = type != null ? type : code;
      String text = message != null ? message : "no message";
      return kind == null ? text : text + " (" + kind + ")";
    }
  }
}
