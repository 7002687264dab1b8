package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.gateway.http.Headers;
import dev.clawauth.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a client's request into the upstream one for a given credential: the client's auth
 * headers are replaced by the credential's, and the headers and body changes the credential type
 * needs are applied (spec: oauth.md, "Calls with it/them").
 */
final class Injection {
  private Injection() {}

  static final String CLAUDE_CODE_SYSTEM = "You are Claude Code, Anthropic's official CLI for Claude.";
  static final String CACHE_TTL_BETA = "extended-cache-ttl-2025-04-11";
  static final List<String> SUBSCRIPTION_BETAS = List.of("claude-code-20250219", "oauth-2025-04-20");
  static final String CLAUDE_CLI_USER_AGENT = "claude-cli/2.0.31 (external, cli)";
  static final String ANTHROPIC_VERSION = "2023-06-01";

  /** Client headers that never go upstream: hop-by-hop, auth, and the gateway's own. */
  private static final Set<String> DROPPED = Set.of("host", "connection", "content-length",
      "transfer-encoding", "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-authorization",
      "proxy-connection", "http2-settings", "x-api-key", "authorization", "accept-encoding");

  // A hand-off from prepare to the upstream call, never compared: the body bytes are only sent.
  @SuppressWarnings("ArrayRecordComponent")
  record Prepared(Map<String, String> headers, byte[] body) {}

  /**
   * The first header that cannot go upstream as it is: a name that is not a token, or a value with
   * a control byte other than HTAB (RFC 9110 5.5); null when all can.
   */
  static String unsendable(Map<String, String> headers) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (!Headers.isToken(e.getKey()) || !Headers.isValue(e.getValue())) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The body is sent as the client's bytes unless this credential type must change it. */
  static Prepared prepare(UpstreamAuth auth, Map<String, List<String>> clientHeaders, RequestBody body,
      ModelRef model, ClawConfig config) {
    Map<String, String> h = new LinkedHashMap<>();
    clientHeaders.forEach((name, values) -> {
      String n = name.toLowerCase(Locale.ROOT);
      if (!DROPPED.contains(n) && !n.startsWith("x-clawauth-") && !values.isEmpty()) {
        h.put(n, String.join(",", values));
      }
    });
    JsonNode providerEntry = config.providerEntry(auth.provider());
    JsonNode configured = providerEntry.path("headers");
    List<String> betas = new ArrayList<>();
    configured.properties().forEach(e -> {
      if (!e.getValue().isTextual()) {
        return;
      }
      String n = e.getKey().toLowerCase(Locale.ROOT);
      if (n.equals("anthropic-beta")) {
        betas.addAll(split(e.getValue().asText()));
      } else if (!DROPPED.contains(n)) {
        h.put(n, e.getValue().asText());
      }
    });
    String clientBeta = h.remove("anthropic-beta");
    if (clientBeta != null) {
      betas.addAll(split(clientBeta));
    }

    ObjectNode out = null;
    switch (auth.kind()) {
      case ANTHROPIC_API_KEY -> {
        h.put("x-api-key", auth.secret().value());
        h.putIfAbsent("anthropic-version", ANTHROPIC_VERSION);
        // OpenClaw's authHeader: the key also as a bearer, for endpoints that read only that.
        if (providerEntry.path("authHeader").asBoolean(false)) {
          h.put("authorization", "Bearer " + auth.secret().value());
        }
        // The TTL beta and rewrite are Anthropic's own: other Anthropic-compatible APIs may refuse them.
        String ttl = null;
        boolean anthropic = auth.provider().equals("anthropic");
        if (anthropic) {
          ttl = cacheTtl(config, model);
        }
        putBetas(h, anthropic ? List.of(CACHE_TTL_BETA) : List.of(), betas, null);
        if (ttl != null && (body.mayContain("cache_control") || body.mayContain("\\u"))
            && hasCacheControl(body.tree())) {
          out = body.tree().deepCopy();
          applyTtl(out, ttl);
        }
      }
      case ANTHROPIC_SUBSCRIPTION -> {
        h.put("authorization", "Bearer " + auth.secret().value());
        h.putIfAbsent("anthropic-version", ANTHROPIC_VERSION);
        putBetas(h, SUBSCRIPTION_BETAS, betas, CACHE_TTL_BETA);
        h.put("user-agent", CLAUDE_CLI_USER_AGENT);
        h.put("x-app", "cli");
        out = body.tree().deepCopy();
        prefixSystem(out);
      }
      case CODEX_OAUTH -> {
        h.put("authorization", "Bearer " + auth.secret().value());
        if (auth.accountId() != null) {
          h.put("chatgpt-account-id", auth.accountId());
        }
        h.put("openai-beta", "responses=experimental");
        h.put("originator", "clawauth");
        h.putIfAbsent("accept", "text/event-stream");
        putBetas(h, List.of(), betas, null);
      }
      case BEARER -> {
        h.put("authorization", "Bearer " + auth.secret().value());
        putBetas(h, List.of(), betas, null);
      }
    }
    return new Prepared(h, out == null ? body.bytes() : JsonBytes.write(out));
  }

  /**
   * {@code anthropic-beta}, the same way for every credential type: the betas the gateway must add
   * first, then the configured and the client's values, each once; {@code refused} (a beta this
   * credential type must not send) never. No header when nothing is left.
   */
  private static void putBetas(Map<String, String> h, List<String> gateways, List<String> others, String refused) {
    Set<String> all = new LinkedHashSet<>(gateways);
    all.addAll(others);
    all.remove(refused);
    if (!all.isEmpty()) {
      h.put("anthropic-beta", String.join(",", all));
    }
  }

  private static List<String> split(String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.split(",", -1)) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** {@code agents.defaults.models["provider/model"].params.cacheControlTtl}: "5m" or "1h". */
  static String cacheTtl(ClawConfig config, ModelRef model) {
    JsonNode v = config.tree().path("agents").path("defaults").path("models").path(model.full())
        .path("params").path("cacheControlTtl");
    String t = v.asText("");
    return t.equals("5m") || t.equals("1h") ? t : null;
  }

  private static boolean hasCacheControl(JsonNode n) {
    if (n.isObject()) {
      if (n.has("cache_control")) {
        return true;
      }
      for (JsonNode c : n) {
        if (hasCacheControl(c)) {
          return true;
        }
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        if (hasCacheControl(c)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void applyTtl(JsonNode n, String ttl) {
    if (n instanceof ObjectNode o) {
      if (o.get("cache_control") instanceof ObjectNode cc) {
        cc.put("ttl", ttl);
      }
      o.forEach(c -> applyTtl(c, ttl));
    } else if (n instanceof ArrayNode a) {
      a.forEach(c -> applyTtl(c, ttl));
    }
  }

  /** Subscription tokens are refused unless the system prompt starts with Claude Code's block. */
  static void prefixSystem(ObjectNode body) {
    JsonNode system = body.get("system");
    ObjectNode first = Json.object();
    first.put("type", "text");
    first.put("text", CLAUDE_CODE_SYSTEM);
    if (system == null || system.isNull()) {
      body.putArray("system").add(first);
    } else if (system.isTextual()) {
      if (system.asText().startsWith(CLAUDE_CODE_SYSTEM)) {
        return;
      }
      ArrayNode blocks = body.putArray("system");
      blocks.add(first);
      if (!system.asText().isEmpty()) {
        blocks.addObject().put("type", "text").put("text", system.asText());
      }
    } else if (system instanceof ArrayNode arr) {
      if (!arr.isEmpty() && arr.get(0).path("text").asText("").startsWith(CLAUDE_CODE_SYSTEM)) {
        return;
      }
      arr.insert(0, first);
    }
  }
}
