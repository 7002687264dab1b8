package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.credentials.KeyShapes;
import dev.clawauth.credentials.SecretFilter;
import dev.clawauth.env.EnvValue;
import dev.clawauth.env.ProviderEnvVars;
import dev.clawauth.gateway.upstream.LoopUpstreamClient;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.oauth.OAuthRefresher;
import dev.clawauth.oauth.RefreshException;
import dev.clawauth.oauth.RefreshResult;
import dev.clawauth.oauth.TokenRefresher;
import dev.clawauth.select.Candidates;
import dev.clawauth.select.FailureReason;
import dev.clawauth.store.CodexIds;
import dev.clawauth.store.Credential;
import dev.clawauth.store.StoreDocument;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Serves one API call: resolves the model and session, answers {@code /model} commands, then walks
 * the candidate profiles, failing over on auth, rate-limit, overload, timeout and billing errors
 * until one answers, and streams that answer to the client as it arrives.
 */
final class Proxy {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
      "keep-alive", "te", "trailer", "upgrade", "date", ":status");
  static final String CLAUDE_CODE_ONLY = "only authorized for use with claude code";
  /** One copy buffer per loop thread, for bodies that arrive in direct buffers. */
  private static final ThreadLocal<byte[]> COPY_BUFFER = ThreadLocal.withInitial(() -> new byte[16384]);

  final LoopUpstreamClient http;
  /** Where work that may block (an OAuth refresh) runs, off the event loop. */
  final java.util.concurrent.Executor blocking;
  private final OAuthRefresher refresher;
  private final Sessions sessions;
  final Metrics metrics;
  final GatewaySettings settings;
  final PrintStream log;
  /** Per agent, profile and result: the last refreshed token counted (a fingerprint, not the token). */
  private final java.util.Map<RefreshCount, String> counted = new java.util.concurrent.ConcurrentHashMap<>();

  private record RefreshCount(String agentId, String profileId, String result) {}

  Proxy(LoopUpstreamClient http, java.util.concurrent.Executor blocking, OAuthRefresher refresher,
      Sessions sessions, Metrics metrics, GatewaySettings settings, PrintStream log) {
    this.http = http;
    this.blocking = blocking;
    this.refresher = refresher;
    this.sessions = sessions;
    this.metrics = metrics;
    this.settings = settings;
    this.log = log;
  }

  /** Answers the call, now or (once it goes upstream) later, from callbacks on its loop. */
  void handle(Call call, Api api, AgentState agent, byte[] raw) throws Exception {
    RequestBody request;
    try {
      request = RequestBody.scan(raw, api);
    } catch (IOException bad) {
      call.error(api, 400, "The request body is not valid JSON: " + firstLine(bad.getMessage()));
      return;
    }
    if (request == null) {
      call.error(api, 400, "The request body must be a JSON object.");
      return;
    }
    ObjectNode body = request.fields();
    ClawConfig config = agent.ctx().config();
    String sessionId = sessionId(call, body);
    // Without a session id a client key has a choice of its own; the gateway token shares the agent's.
    Sessions.Session session = sessions.get(agent.ctx().agentId(), call.client == null ? "" : call.client.name(),
        sessionId == null ? "" : sessionId);
    JsonNode requested = body.get("model");
    if (requested != null && !requested.isTextual()) {
      call.error(api, 400, "\"model\" must be a string.");
      return;
    }
    ModelRef model = session.model != null ? session.model
        : requested != null && !requested.asText().isBlank()
            ? ModelRef.resolve(requested.asText(), api.anthropic(), config)
            : ModelRef.resolve(config.defaultModel(agent.ctx().agentId()), api.anthropic(), config);

    String text = api.lastUserText(body);
    if (ModelCommands.isCommand(text)) {
      String refused = ClientAccess.refusal(call.client, ModelCommands.target(text, api.anthropic(), config));
      if (refused != null) {
        call.error(api, 403, refused);
        return;
      }
      String reply = ModelCommands.run(text, agent, session, model, api.anthropic());
      String shown = session.model != null ? session.model.full() : model.full();
      if (body.path("stream").asBoolean(false)) {
        if (call.claim()) {
          call.ex.responseHeaders().set("content-type", "text/event-stream");
          call.ex.sendHeaders(200, 0);
          call.ex.responseBody().write(api.streamedReply(shown, reply).getBytes(StandardCharsets.UTF_8));
          call.end();
        }
      } else {
        call.send(200, "application/json", api.reply(shown, reply));
      }
      return;
    }

    String refused = ClientAccess.refusal(call.client, model);
    if (refused != null) {
      call.error(api, 403, refused);
      return;
    }
    var base = ConfigRefs.base(agent.ctx(), model.provider());
    if (base.isPresent() && !base.get().ok()) {
      call.error(api, 502, "models.providers." + model.provider() + ".baseUrl in " + config.path() + " "
          + base.get().unset() + ".");
      return;
    }
    var refusal = ModelAccess.refusal(agent, model, base.isPresent());
    if (refusal.isPresent()) {
      call.error(api, 404, refusal.get());
      return;
    }
    var apiSetting = config.modelApi(model.provider(), model.model());
    var wire = Upstreams.wire(apiSetting.map(ClawConfig.ApiSetting::value), model.provider());
    if (wire.isEmpty()) {
      String value = apiSetting.map(ClawConfig.ApiSetting::value).orElse("");
      call.error(api, 400, apiSetting.map(ClawConfig.ApiSetting::key).orElse("api") + " is \"" + value + "\" in "
          + config.path() + (Upstreams.OTHER_OPENCLAW_APIS.contains(value)
              ? ", an API the gateway does not proxy"
              : ", which is not an API OpenClaw knows (its config validation refuses it too)")
          + "; the gateway proxies anthropic-messages, openai-completions, openai-responses and "
          + "openai-codex-responses (openai-chatgpt-responses).");
      return;
    }
    if (api == Api.ANTHROPIC_COUNT_TOKENS && !wire.get().serves(api)) {
      call.error(api, 400, "count_tokens: " + model.full() + " is served by " + model.provider() + " over "
          + wire.get().endpoint() + ", which has no token counting; count_tokens serves models on the Messages API only.");
      return;
    }
    URI uri;
    try {
      uri = Upstreams.uri(base.get().value(), wire.get(), Translation.upstreamApi(api, wire.get()));
    } catch (IllegalArgumentException notAUrl) {
      // The URL itself is not repeated: a base URL can carry a key.
      call.error(api, 502, "models.providers." + model.provider() + ".baseUrl in " + config.path()
          + " is not a URL (" + (notAUrl.getCause() instanceof java.net.URISyntaxException bad
              ? bad.getReason() + " at index " + bad.getIndex() : "malformed")
          + "); fix it, or remove it to use the provider's own"
          + " endpoint.");
      return;
    }
    dev.clawauth.gateway.translate.Crossing crossing = null;
    if (!wire.get().serves(api)) {
      try {
        var plan = Translation.plan(api, wire.get(), model, requested == null ? model.full() : requested.asText(),
            config, request);
        crossing = plan.crossing();
        request = plan.body();
      } catch (dev.clawauth.gateway.translate.Unsupported unsupported) {
        call.error(api, 400, unsupported.getMessage());
        return;
      }
    } else if (requested == null || !requested.asText().equals(model.model())) {
      request.renameModel(model.model());
    }
    // Requests without a session id share the agent's /model choice but keep no sticky profile.
    forward(call, api, agent, session, sessionId != null, model, uri, wire.get(), request, crossing);
  }

  /** Works out the candidates and starts the walk over them. */
  private void forward(Call call, Api api, AgentState agent, Sessions.Session session, boolean sticky,
      ModelRef model, URI uri, Upstreams.Wire wire, RequestBody body,
      dev.clawauth.gateway.translate.Crossing crossing) throws Exception {
    String provider = model.provider();
    AgentState.Snapshot snap = agent.snapshot();
    StoreDocument doc = snap.doc();
    long now = agent.ctx().clock().millis();
    String preferred = session.pinnedProfile;
    if (preferred == null && sticky) {
      String kept = session.sticky.get(provider);
      if (kept != null && doc.hasProfileId(kept) && !doc.usage(kept).unusableAt(now)) {
        preferred = kept;
      }
    }
    Candidates.Result candidates = agent.candidates(snap, provider, now, preferred);
    // A pin or sticky profile that was removed, or is no longer a candidate, is forgotten.
    if (session.pinnedProfile != null && !candidates.ids().contains(session.pinnedProfile)) {
      log.println("gateway: pinned profile " + session.pinnedProfile + " is no longer usable for " + provider
          + "; unpinned");
      session.pinnedProfile = null;
    }
    String kept = session.sticky.get(provider);
    if (kept != null && !candidates.ids().contains(kept)) {
      session.sticky.remove(provider);
    }
    new Failover(this, call, api, agent, sticky ? session : null, model, uri, wire, body, doc,
        candidates, crossing).start();
  }

  /**
   * The Codex backend's URI for this API, for ChatGPT (Codex) OAuth sent for a model whose own wire
   * is another one: a model of provider {@code openai}, OpenClaw 2026.9's id for Codex OAuth, whose
   * API keys go to api.openai.com. Its base is {@code models.providers.openai-codex.baseUrl}, else
   * chatgpt.com. Null when the backend does not serve this API (only Responses) or the base is unusable.
   */
  static URI codexUpstream(AgentContext ctx, Api api) {
    var base = ConfigRefs.base(ctx, CodexIds.CODEX);
    if (base.isEmpty() || !base.get().ok()) {
      return null;
    }
    try {
      return Upstreams.uri(base.get().value(), Upstreams.Wire.CODEX, api);
    } catch (IllegalArgumentException notAUrl) {
      return null;
    }
  }

  /** Whether this credential's use may block (a refresh, a store read): then it is worked out off the loop. */
  boolean mustWaitForAuth(AgentState agent, Credential c) {
    if (!(c instanceof Credential.OAuth o)) {
      return false;
    }
    return !(refresher instanceof TokenRefresher tr) || !usableAsStored(o, tr, agent.ctx().clock().millis());
  }

  private static boolean usableAsStored(Credential.OAuth o, TokenRefresher tr, long now) {
    return !o.needsRelogin() && !o.access().isEmpty() && o.refresh() != null && !o.refresh().isEmpty()
        && o.expires() - now > tr.marginMs();
  }

  /** TokenRefresher writes its own verdict (re-login mark or cooldown) to the store. */
  boolean refresherRecordsFailures() {
    return refresher instanceof TokenRefresher;
  }

  byte[] copyBuffer() {
    return COPY_BUFFER.get();
  }

  private static String sessionId(Call call, ObjectNode body) {
    String h = call.header(Gateway.SESSION_HEADER);
    if (h != null && !h.isBlank()) {
      return h.trim();
    }
    String user = body.path("metadata").path("user_id").asText("");
    if (user.isBlank()) {
      user = body.path("user").asText("");
    }
    return user.isBlank() ? null : user;
  }

  /** The profile label of metrics and logs: the profile id, else where the credential came from. */
  static String metricsLabel(UpstreamAuth auth) {
    return auth.fromStore() ? auth.profileId() : auth.label().startsWith("models.providers.") ? "config" : "env";
  }

  UpstreamAuth authFor(AgentState agent, String id, Credential c, boolean anthropicWire)
      throws IOException, RefreshException {
    String provider = dev.clawauth.store.Providers.normalize(c.provider());
    // Anthropic's own headers only where the requests go out on the Messages API.
    boolean anthropic = provider.equals("anthropic") && anthropicWire;
    // Another provider speaking Anthropic Messages gets its key as OpenClaw's Anthropic client sends it.
    UpstreamAuth.Kind staticKey = anthropicWire ? UpstreamAuth.Kind.ANTHROPIC_API_KEY : UpstreamAuth.Kind.BEARER;
    return switch (c) {
      case Credential.ApiKey k -> new UpstreamAuth(provider, id,
          anthropic ? (KeyShapes.isAnthropicOAuthToken(k.key().value()) ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION
              : UpstreamAuth.Kind.ANTHROPIC_API_KEY) : staticKey, k.key(), null, id);
      case Credential.Token t -> new UpstreamAuth(provider, id,
          anthropic ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION : staticKey, t.token(), null, id);
      case Credential.OAuth o -> {
        Credential.OAuth fresh = fresh(agent, id, o, provider);
        UpstreamAuth.Kind kind = anthropic ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION
            : CodexIds.isCodexOAuth(agent.ctx().era().kind(), provider) ? UpstreamAuth.Kind.CODEX_OAUTH
            : UpstreamAuth.Kind.BEARER;
        yield new UpstreamAuth(provider, id, kind, fresh.access(), fresh.accountId(), id);
      }
    };
  }

  /**
   * The profile's usable OAuth credential. A token well inside the refresher's margin is used from
   * the store snapshot as it is (no store read per request); otherwise the refresher decides. A
   * refresh is counted once, by the thread that saw the new token first: followers of a single
   * flight get the same result and must not count it again.
   */
  private Credential.OAuth fresh(AgentState agent, String id, Credential.OAuth stored, String provider)
      throws IOException, RefreshException {
    java.util.Optional<String> readOnly = StoreHealth.of(agent);
    if (readOnly.isPresent()) {
      // A refresh must write the new tokens, and a store that cannot be written would lose them.
      if (!stored.needsRelogin() && !stored.access().isEmpty() && stored.expires() > agent.ctx().clock().millis()) {
        return stored;
      }
      throw new RefreshException(id, "its access token has expired and is not refreshed while the credential store"
          + " is read-only (" + readOnly.get() + ")", false);
    }
    if (refresher instanceof TokenRefresher tr) {
      if (usableAsStored(stored, tr, agent.ctx().clock().millis())) {
        return stored;
      }
      RefreshResult r = tr.refresh(agent.ctx(), id, false);
      if (r.outcome() == RefreshResult.Outcome.REFRESHED) {
        countRefresh(agent, id, provider, r.credential(), "ok");
      } else if (r.outcome() == RefreshResult.Outcome.DEFERRED) {
        countRefresh(agent, id, provider, stored, "deferred");
      }
      return r.credential();
    }
    Credential.OAuth fresh = refresher.ensureFresh(agent.ctx(), id);
    if (!fresh.access().matches(stored.access().value())) {
      countRefresh(agent, id, provider, fresh, "ok");
    }
    return fresh;
  }

  private void countRefresh(AgentState agent, String id, String provider, Credential.OAuth c, String result) {
    RefreshCount key = new RefreshCount(agent.ctx().agentId(), id, result);
    // Only a fingerprint of the token is kept, never the token itself.
    String fingerprint = Integer.toHexString(c.access().value().hashCode()) + ":" + c.expires();
    if (!fingerprint.equals(counted.put(key, fingerprint))) {
      metrics.refresh(provider, id, result);
    }
  }

  static UpstreamAuth envAuth(String provider, EnvValue v, boolean anthropicWire) {
    UpstreamAuth.Kind kind;
    if (provider.equals("anthropic") && anthropicWire) {
      kind = ProviderEnvVars.isToken(v.name()) || KeyShapes.isAnthropicOAuthToken(v.value().value())
          ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION : UpstreamAuth.Kind.ANTHROPIC_API_KEY;
    } else {
      kind = anthropicWire ? UpstreamAuth.Kind.ANTHROPIC_API_KEY : UpstreamAuth.Kind.BEARER;
    }
    return new UpstreamAuth(provider, null, kind, v.value(), null, v.source());
  }

  /** Records a failed attempt (a cooldown for a stored profile) and returns what the final error says of it. */
  String failed(AgentState agent, UpstreamAuth auth, FailureReason reason, long retryAfterMs,
      String detail, String provider, String profileLabel) {
    if (auth.fromStore()) {
      agent.record(new AgentState.Outcome(provider, auth.profileId(), reason, agent.ctx().clock().millis(),
          retryAfterMs));
      metrics.cooldown(provider, profileLabel, reason);
    }
    log.println("gateway: " + provider + " profile " + profileLabel + " failed (" + reason.wire() + "): "
        + firstLine(detail));
    return reason.wire() + ": " + detail;
  }

  /** The first value of an upstream answer's header; names are lower case. */
  static java.util.Optional<String> first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v.get(0));
  }

  /** Turns the provider errors people hit most into the command that fixes them. */
  static String guidance(String lower, UpstreamAuth auth, AgentState agent, String errText) {
    String msg = providerMessage(errText, auth);
    String agentFlag = FixCommands.agentFlag(agent.ctx().agentId());
    if (lower.contains(CLAUDE_CODE_ONLY)) {
      return msg + " -- this subscription token only works for Claude Code requests; use an Anthropic API key: "
          + "`clawauth models auth paste-api-key --provider anthropic" + agentFlag + "`";
    }
    if (auth.fromStore() && (lower.contains("expired") || lower.contains("revoked")
        || lower.contains("invalid_grant") || lower.contains("oauth"))) {
      return msg + " -- log in again: `" + FixCommands.forRelogin(auth.provider(), auth.profileId(),
          agent.ctx().agentId()) + "`";
    }
    return msg;
  }

  /**
   * The provider's error as its type and a short message with no secret in it: providers echo
   * the key they were sent, and this text reaches the client, the log and {@code /status}.
   */
  static String providerMessage(String errText, UpstreamAuth auth) {
    java.util.List<String> sent = auth == null ? java.util.List.of() : java.util.List.of(auth.secret().value());
    String type = null;
    String message = null;
    try {
      JsonNode n = JsonBytes.read(errText.getBytes(StandardCharsets.UTF_8));
      JsonNode error = n.path("error");
      type = error.path("type").isTextual() ? error.path("type").asText() : n.path("type").isTextual()
          && !n.path("type").asText().equals("error") ? n.path("type").asText() : null;
      message = error.path("message").isTextual() ? error.path("message").asText()
          : error.isTextual() ? error.asText() : n.path("message").isTextual() ? n.path("message").asText() : null;
    } catch (IOException notJson) {
      // The raw text, cut, below.
    }
    if (message == null) {
      message = firstLine(errText.length() > 300 ? errText.substring(0, 300) : errText);
    }
    String shown = SecretFilter.shortMessage(message, sent);
    return type == null ? shown : SecretFilter.shortMessage(type, sent) + ": " + shown;
  }

  /** A provider's error body passed on to the client as it is, except for the secrets in it. */
  static byte[] withoutSecrets(byte[] body, UpstreamAuth auth) {
    String text = new String(body, StandardCharsets.UTF_8);
    String safe = SecretFilter.scrub(text, auth == null ? java.util.List.of() : java.util.List.of(auth.secret().value()));
    return safe.equals(text) ? body : safe.getBytes(StandardCharsets.UTF_8);
  }

  static long retryAfterMs(Map<String, List<String>> headers) {
    var ms = first(headers, "retry-after-ms");
    try {
      if (ms.isPresent()) {
        return (long) Double.parseDouble(ms.get().trim());
      }
      var s = first(headers, "retry-after");
      if (s.isPresent()) {
        String v = s.get().trim();
        if (v.matches("\\d+(\\.\\d+)?")) {
          return (long) (Double.parseDouble(v) * 1000);
        }
        long at = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
            .toInstant().toEpochMilli();
        return Math.max(0, at - System.currentTimeMillis());
      }
    } catch (RuntimeException unparsable) {
      return 0;
    }
    return 0;
  }

  static void copyHeaders(Map<String, List<String>> headers, Call call) {
    headers.forEach((n, vs) -> {
      if (!HOP_BY_HOP.contains(n.toLowerCase(Locale.ROOT))) {
        call.ex.responseHeaders().set(n, vs);
      }
    });
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
