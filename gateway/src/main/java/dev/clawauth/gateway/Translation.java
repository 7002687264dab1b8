package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.gateway.translate.Crossing;
import dev.clawauth.gateway.translate.Dialect;
import dev.clawauth.gateway.translate.Requests;
import dev.clawauth.gateway.translate.Target;
import dev.clawauth.gateway.translate.Unsupported;
import java.io.IOException;

/** Which calls cross from the client's dialect to another upstream one, and their upstream request. */
final class Translation {
  private Translation() {}

  /** The Messages API's required length limit when neither the client nor the model's config gives one. */
  static final long DEFAULT_MAX_TOKENS = 4096;

  /** A crossing call's translated request. */
  record Plan(Crossing crossing, RequestBody body) {}

  static Dialect dialect(Api api) {
    return switch (api) {
      case ANTHROPIC_MESSAGES, ANTHROPIC_COUNT_TOKENS -> Dialect.MESSAGES;
      case OPENAI_CHAT -> Dialect.CHAT_COMPLETIONS;
      case OPENAI_RESPONSES -> Dialect.RESPONSES;
    };
  }

  static Dialect dialect(Upstreams.Wire wire) {
    return switch (wire) {
      case ANTHROPIC -> Dialect.MESSAGES;
      case OPENAI, OPENAI_COMPLETIONS -> Dialect.CHAT_COMPLETIONS;
      case OPENAI_RESPONSES, CODEX -> Dialect.RESPONSES;
    };
  }

  /** The API the request goes out on: the client's where the wire serves it, else the wire's own. */
  static Api upstreamApi(Api api, Upstreams.Wire wire) {
    return wire.serves(api) ? api : Api.of(dialect(wire));
  }

  /**
   * The upstream request of a call whose wire does not serve the client's API.
   *
   * @param clientModel the model as the client named it, which its answers and errors name
   * @throws Unsupported when the request uses a field the upstream has no counterpart for
   */
  static Plan plan(Api api, Upstreams.Wire wire, ModelRef model, String clientModel, ClawConfig config,
      RequestBody request) throws Unsupported {
    Target target = new Target(dialect(wire), model.model(), clientModel, wire == Upstreams.Wire.CODEX,
        maxTokens(config, model), model.provider().equals("openai"));
    boolean streams = request.fields().path("stream").asBoolean(false);
    boolean usageChunk = api == Api.OPENAI_CHAT
        && request.tree().path("stream_options").path("include_usage").asBoolean(false);
    byte[] body = JsonBytes.write(Requests.translate(dialect(api), request.tree(), target));
    try {
      return new Plan(new Crossing(dialect(api), target, streams, usageChunk), RequestBody.scan(body, upstreamApi(api, wire)));
    } catch (IOException e) {
      throw new IllegalStateException("a translated request is always JSON", e);
    }
  }

  /** {@code models.providers.<p>.models[].maxTokens} of the model, as OpenClaw's catalog entries hold it. */
  private static long maxTokens(ClawConfig config, ModelRef model) {
    for (JsonNode m : config.providerEntry(model.provider()).path("models")) {
      if (model.model().equals(m.path("id").asText()) && m.path("maxTokens").canConvertToLong()
          && m.path("maxTokens").asLong() > 0) {
        return m.path("maxTokens").asLong();
      }
    }
    return DEFAULT_MAX_TOKENS;
  }
}
