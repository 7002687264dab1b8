package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.env.EnvValue;
import dev.clawauth.env.ProviderEnvVars;
import dev.clawauth.oauth.OAuthRefresher;
import dev.clawauth.oauth.RefreshException;
import dev.clawauth.oauth.RefreshResult;
import dev.clawauth.oauth.TokenRefresher;
import dev.clawauth.select.Candidates;
import dev.clawauth.select.FailureReason;
import dev.clawauth.status.Durations;
import dev.clawauth.status.FixCommands;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Serves one API call: resolves the model and session, answers {@code /model} commands, then walks
 * the candidate profiles, failing over on auth, rate-limit, overload, timeout and billing errors
 * until one answers, and streams that answer to the client as it arrives.
 */
final class Proxy {
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
      "keep-alive", "te", "trailer", "upgrade", "date", ":status");
  private static final String CLAUDE_CODE_ONLY = "only authorized for use with claude code";
  /** One copy buffer per connection thread: a new one per request was a quarter of the gateway's garbage. */
  private static final ThreadLocal<byte[]> COPY_BUFFER = ThreadLocal.withInitial(() -> new byte[16384]);

  private final UpstreamClient http;
  private final OAuthRefresher refresher;
  private final Sessions sessions;
  private final Metrics metrics;
  private final GatewaySettings settings;
  private final PrintStream log;
  /** Per agent, profile and result: the last refreshed token counted (a fingerprint, not the token). */
  private final java.util.Map<String, String> counted = new java.util.concurrent.ConcurrentHashMap<>();

  Proxy(UpstreamClient http, OAuthRefresher refresher, Sessions sessions, Metrics metrics,
      GatewaySettings settings, PrintStream log) {
    this.http = http;
    this.refresher = refresher;
    this.sessions = sessions;
    this.metrics = metrics;
    this.settings = settings;
    this.log = log;
  }

  /** Why a profile was not used or failed, for the final error. */
  private record Miss(String label, String what) {}

  private enum Outcome { DONE, FAILOVER }

  private record Attempt(Outcome outcome, FailureReason reason, String detail) {}

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
    Sessions.Session session = sessions.get(agent.ctx().agentId(), sessionId == null ? "" : sessionId);
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
      String reply = ModelCommands.run(text, agent, session, model, api.anthropic());
      String shown = session.model != null ? session.model.full() : model.full();
      if (body.path("stream").asBoolean(false)) {
        if (call.claim()) {
          call.ex.responseHeaders().set("content-type", "text/event-stream");
          call.ex.sendHeaders(200, 0);
          OutputStream out = call.ex.responseBody();
          out.write(api.streamedReply(shown, reply).getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } else {
        call.send(200, "application/json", api.reply(shown, reply));
      }
      return;
    }

    var base = ConfigRefs.base(agent.ctx(), model.provider());
    if (base.isPresent() && !base.get().ok()) {
      call.error(api, 502, "models.providers." + model.provider() + ".baseUrl in " + config.path() + " "
          + base.get().unset() + ".");
      return;
    }
    List<String> allowed = config.allowedModels();
    if (base.isEmpty() || (!allowed.isEmpty() && !allowed.contains(model.full()))) {
      call.error(api, 404, "Unknown model: " + model.full() + (base.isEmpty()
          ? " (no endpoint for provider " + model.provider() + "; set models.providers."
              + model.provider() + ".baseUrl)"
          : " (not in agents.defaults.models)"));
      return;
    }
    var wire = Upstreams.wire(config, model.provider());
    if (wire.isEmpty()) {
      String value = config.providerApi(model.provider()).orElse("");
      call.error(api, 400, "models.providers." + model.provider() + ".api is \"" + value + "\" in "
          + config.path() + (Upstreams.OTHER_OPENCLAW_APIS.contains(value)
              ? ", an API the gateway does not proxy"
              : ", which is not an API OpenClaw knows (its config validation refuses it too)")
          + "; the gateway proxies anthropic-messages, openai-completions, openai-responses and "
          + "openai-codex-responses (openai-chatgpt-responses).");
      return;
    }
    URI uri;
    try {
      uri = Upstreams.uri(base.get().value(), wire.get(), api);
    } catch (IllegalArgumentException notAUrl) {
      // The URL itself is not repeated: a base URL can carry a key.
      call.error(api, 502, "models.providers." + model.provider() + ".baseUrl in " + config.path()
          + " is not a URL (" + (notAUrl.getCause() instanceof java.net.URISyntaxException bad
              ? bad.getReason() + " at index " + bad.getIndex() : "malformed")
          + "); fix it, or remove it to use the provider's own"
          + " endpoint.");
      return;
    }
    if (uri == null) {
      call.error(api, 400, "Model " + model.full() + " is served by " + model.provider()
          + config.providerApi(model.provider()).map(a -> " (models.providers." + model.provider() + ".api: "
              + a + ")").orElse("")
          + ", which does not speak " + api.path() + "; use " + wire.get().endpoint() + ".");
      return;
    }
    if (requested == null || !requested.asText().equals(model.model())) {
      request.renameModel(model.model());
    }
    // Requests without a session id share the agent's /model choice but keep no sticky profile.
    forward(call, api, agent, session, sessionId != null, model, uri, wire.get() == Upstreams.Wire.ANTHROPIC,
        request);
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

  private void forward(Call call, Api api, AgentState agent, Sessions.Session session, boolean sticky,
      ModelRef model, URI uri, boolean anthropicWire, RequestBody body) throws Exception {
    String provider = model.provider();
    ClawConfig config = agent.ctx().config();
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
    List<Miss> misses = new ArrayList<>();
    boolean triedBefore = false;
    StoreDocument current = doc;
    for (String id : candidates.ids()) {
      // After a failed attempt, look again: other requests may have cooled this profile down meanwhile.
      if (triedBefore) {
        current = agent.doc();
      }
      UsageStats u = current.usage(id);
      long at = agent.ctx().clock().millis();
      if (u.unusableAt(at)) {
        String why = u.disabledUntil() > at ? "disabled (" + (u.disabledReason() == null ? "billing"
            : u.disabledReason()) + ")" : "cooling down";
        misses.add(new Miss(id, why + " until " + Instant.ofEpochMilli(u.unusableUntil())
            + " (in " + Durations.remaining(u.unusableUntil() - at) + ")"));
        continue;
      }
      Credential c = current.profiles().get(id);
      UpstreamAuth auth;
      try {
        auth = authFor(agent, id, c, anthropicWire);
      } catch (RefreshException e) {
        metrics.inc("clawauth_gateway_refreshes_total", "provider", provider, "profile", id, "result",
            e.terminal() ? "relogin" : "error");
        // TokenRefresher writes its own verdict (re-login mark or cooldown) to the store; counting
        // the failure again here would escalate the cooldown twice for one event.
        if (!(refresher instanceof TokenRefresher)) {
          agent.record(new AgentState.Outcome(provider, id, FailureReason.AUTH, at, 0));
        }
        log.println("gateway: " + provider + " profile " + id + " not usable: " + firstLine(e.getMessage()));
        misses.add(new Miss(id, e.getMessage() + (e.terminal() && !e.getMessage().contains("log in again")
            ? "; log in again: " + FixCommands.forRelogin(provider, id, agent.ctx().agentId()) : "")));
        continue;
      }
      if (triedBefore) {
        metrics.inc("clawauth_gateway_failovers_total", "provider", provider, "profile", id);
      }
      triedBefore = true;
      Attempt a = attempt(call, api, agent, sticky ? session : null, model, uri, body, auth);
      if (a.outcome() == Outcome.DONE) {
        return;
      }
      misses.add(new Miss(id, a.detail()));
    }
    var envCred = agent.ctx().env().forProvider(provider);
    if (envCred.isPresent()) {
      UpstreamAuth auth = envAuth(provider, envCred.get(), anthropicWire);
      if (answered(call, api, agent, sticky ? session : null, model, uri, body, auth, triedBefore, misses,
          auth.label())) {
        return;
      }
      triedBefore = true;
    }
    // Last, as OpenClaw takes it: the key in the provider's config entry.
    var configured = ConfigRefs.apiKey(agent.ctx(), provider);
    if (configured.isPresent()) {
      String key = "models.providers." + provider + ".apiKey";
      if (!configured.get().ok()) {
        misses.add(new Miss(key, configured.get().unset()));
      } else if (answered(call, api, agent, sticky ? session : null, model, uri, body,
          envAuth(provider, new EnvValue(key, new Secret(configured.get().value()), key + " in " + config.path()),
              anthropicWire), triedBefore, misses, key)) {
        return;
      }
    }
    // Profiles dropped because their refresh token was refused still deserve the command that fixes them.
    for (String id : candidates.dropped()) {
      if (doc.profiles().get(id) instanceof Credential.OAuth o && o.needsRelogin()) {
        misses.add(new Miss(id, "needs a new login (" + o.reloginReason() + "); log in again: `"
            + FixCommands.forRelogin(provider, id, agent.ctx().agentId()) + "`"));
      }
    }
    StringBuilder msg = new StringBuilder("No usable credential for " + provider + " (agent "
        + agent.ctx().agentId() + ", store " + agent.ctx().store().path() + ")");
    if (misses.isEmpty()) {
      msg.append(": none is configured. ").append(FixCommands.forMissing(provider, agent.ctx().agentId()));
    } else {
      msg.append(": ");
      for (int i = 0; i < misses.size(); i++) {
        msg.append(i == 0 ? "" : "; ").append(misses.get(i).label()).append(": ").append(misses.get(i).what());
      }
      msg.append('.');
    }
    call.error(api, 503, msg.toString());
  }

  /**
   * One attempt with a credential from outside the store (the environment, the config); true when
   * the request has been answered, else its failure is added to {@code misses}.
   */
  private boolean answered(Call call, Api api, AgentState agent, Sessions.Session session, ModelRef model,
      URI uri, RequestBody body, UpstreamAuth auth, boolean failover, List<Miss> misses, String missLabel)
      throws Exception {
    if (failover) {
      metrics.inc("clawauth_gateway_failovers_total", "provider", model.provider(), "profile", metricsLabel(auth));
    }
    Attempt a = attempt(call, api, agent, session, model, uri, body, auth);
    if (a.outcome() == Outcome.DONE) {
      return true;
    }
    misses.add(new Miss(missLabel, a.detail()));
    return false;
  }

  /** The profile label of metrics and logs: the profile id, else where the credential came from. */
  private static String metricsLabel(UpstreamAuth auth) {
    return auth.fromStore() ? auth.profileId() : auth.label().startsWith("models.providers.") ? "config" : "env";
  }

  private UpstreamAuth authFor(AgentState agent, String id, Credential c, boolean anthropicWire)
      throws IOException, RefreshException {
    String provider = dev.clawauth.store.Providers.normalize(c.provider());
    // Anthropic's own headers only where the requests go out on the Messages API.
    boolean anthropic = provider.equals("anthropic") && anthropicWire;
    // Another provider speaking Anthropic Messages gets its key as OpenClaw's Anthropic client sends it.
    UpstreamAuth.Kind staticKey = anthropicWire ? UpstreamAuth.Kind.ANTHROPIC_API_KEY : UpstreamAuth.Kind.BEARER;
    return switch (c) {
      case Credential.ApiKey k -> new UpstreamAuth(provider, id,
          anthropic ? (k.key().value().contains("sk-ant-oat") ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION
              : UpstreamAuth.Kind.ANTHROPIC_API_KEY) : staticKey, k.key(), null, id);
      case Credential.Token t -> new UpstreamAuth(provider, id,
          anthropic ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION : staticKey, t.token(), null, id);
      case Credential.OAuth o -> {
        Credential.OAuth fresh = fresh(agent, id, o, provider);
        UpstreamAuth.Kind kind = anthropic ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION
            : provider.equals("openai-codex") ? UpstreamAuth.Kind.CODEX_OAUTH : UpstreamAuth.Kind.BEARER;
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
    if (refresher instanceof TokenRefresher tr) {
      long now = agent.ctx().clock().millis();
      if (!stored.needsRelogin() && !stored.access().isEmpty() && stored.refresh() != null
          && !stored.refresh().isEmpty() && stored.expires() - now > tr.marginMs()) {
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
    String key = agent.ctx().agentId() + "\n" + id + "\n" + result;
    // Only a fingerprint of the token is kept, never the token itself.
    String fingerprint = Integer.toHexString(c.access().value().hashCode()) + ":" + c.expires();
    if (!fingerprint.equals(counted.put(key, fingerprint))) {
      metrics.inc("clawauth_gateway_refreshes_total", "provider", provider, "profile", id, "result", result);
    }
  }

  private static UpstreamAuth envAuth(String provider, EnvValue v, boolean anthropicWire) {
    UpstreamAuth.Kind kind;
    if (provider.equals("anthropic") && anthropicWire) {
      kind = ProviderEnvVars.isToken(v.name()) || v.value().value().contains("sk-ant-oat")
          ? UpstreamAuth.Kind.ANTHROPIC_SUBSCRIPTION : UpstreamAuth.Kind.ANTHROPIC_API_KEY;
    } else {
      kind = anthropicWire ? UpstreamAuth.Kind.ANTHROPIC_API_KEY : UpstreamAuth.Kind.BEARER;
    }
    return new UpstreamAuth(provider, null, kind, v.value(), null, v.source());
  }

  private Attempt attempt(Call call, Api api, AgentState agent, Sessions.Session session, ModelRef model,
      URI uri, RequestBody body, UpstreamAuth auth) throws Exception {
    String provider = model.provider();
    String profileLabel = metricsLabel(auth);
    Injection.Prepared prepared = Injection.prepare(auth, call.ex.requestHeaders().asMap(), body, model,
        agent.ctx().config());
    java.util.Map<String, String> headers = prepared.headers();
    if (!headers.containsKey("content-type")) {
      headers.put("content-type", "application/json");
    }
    long t0 = System.nanoTime();
    UpstreamClient.Response resp;
    try {
      resp = http.post(uri, headers, prepared.body(), settings.upstreamTimeout());
    } catch (UpstreamClient.UnreachableException e) {
      // Every profile shares the endpoint, so failing over or cooling one down would not help.
      metrics.inc("clawauth_gateway_upstream_unreachable_total", "provider", provider);
      log.println("gateway: " + provider + " endpoint unreachable: " + e.getMessage());
      call.error(api, 502, "Cannot reach " + provider + " at " + uri.getScheme() + "://" + e.getMessage()
          + ". Check that the endpoint is up, or set models.providers." + provider + ".baseUrl in "
          + agent.ctx().config().path() + ".");
      return new Attempt(Outcome.DONE, null, null);
    } catch (SocketTimeoutException e) {
      return failed(agent, auth, FailureReason.TIMEOUT, 0, "timed out after "
          + settings.upstreamTimeout().toMillis() + " ms", provider, profileLabel);
    } catch (IOException e) {
      return failed(agent, auth, FailureReason.TIMEOUT, 0, "connection failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()), provider, profileLabel);
    }
    metrics.latency(provider, profileLabel, System.nanoTime() - t0);
    int status = resp.status();
    metrics.inc("clawauth_gateway_upstream_requests_total", "provider", provider, "profile", profileLabel,
        "status", Integer.toString(status));
    if (status >= 400) {
      byte[] err;
      try (InputStream in = resp.body()) {
        err = in.readNBytes(1 << 20);
      } catch (IOException e) {
        err = new byte[0];
      }
      String errText = new String(err, StandardCharsets.UTF_8);
      String lower = errText.toLowerCase(Locale.ROOT);
      FailureReason reason = lower.contains(CLAUDE_CODE_ONLY) ? FailureReason.AUTH
          : FailureReason.classify(status, errText);
      if (reason == null || reason == FailureReason.UNKNOWN) {
        // The client's own request is at fault (or the provider failed in a way another
        // credential would not fix): pass the answer through as it is.
        if (call.claim()) {
          copyHeaders(resp, call);
          call.ex.sendHeaders(status, err.length == 0 ? -1 : err.length);
          if (err.length > 0) {
            call.ex.responseBody().write(err);
          }
        }
        return new Attempt(Outcome.DONE, null, null);
      }
      long retryAfter = status == 429 || status == 503 || status == 529 ? retryAfterMs(resp) : 0;
      return failed(agent, auth, reason, retryAfter, status + " " + guidance(lower, auth, agent, errText),
          provider, profileLabel);
    }
    if (auth.fromStore()) {
      agent.record(new AgentState.Outcome(provider, auth.profileId(), null, agent.ctx().clock().millis(), 0));
      if (session != null && session.pinnedProfile == null) {
        session.sticky.put(provider, auth.profileId());
      }
    }
    stream(call, api, resp, provider, profileLabel);
    return new Attempt(Outcome.DONE, null, null);
  }

  private Attempt failed(AgentState agent, UpstreamAuth auth, FailureReason reason, long retryAfterMs,
      String detail, String provider, String profileLabel) {
    if (auth.fromStore()) {
      agent.record(new AgentState.Outcome(provider, auth.profileId(), reason, agent.ctx().clock().millis(),
          retryAfterMs));
      metrics.inc("clawauth_gateway_cooldowns_total", "provider", provider, "profile", profileLabel,
          "reason", reason.wire());
    }
    log.println("gateway: " + provider + " profile " + profileLabel + " failed (" + reason.wire() + "): "
        + firstLine(detail));
    return new Attempt(Outcome.FAILOVER, reason, reason.wire() + ": " + detail);
  }

  /** Turns the provider errors people hit most into the command that fixes them. */
  private static String guidance(String lower, UpstreamAuth auth, AgentState agent, String errText) {
    String msg = providerMessage(errText);
    String agentFlag = agent.ctx().agentId().equals("main") ? "" : " --agent " + agent.ctx().agentId();
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

  private static String providerMessage(String errText) {
    try {
      JsonNode n = JsonBytes.read(errText.getBytes(StandardCharsets.UTF_8));
      JsonNode m = n.path("error").path("message");
      if (m.isTextual()) {
        return m.asText();
      }
      if (n.path("error").isTextual()) {
        return n.path("error").asText();
      }
      if (n.path("message").isTextual()) {
        return n.path("message").asText();
      }
    } catch (IOException notJson) {
      // fall through to the raw text
    }
    return firstLine(errText.length() > 300 ? errText.substring(0, 300) : errText);
  }

  static long retryAfterMs(UpstreamClient.Response resp) {
    var ms = resp.header("retry-after-ms");
    try {
      if (ms.isPresent()) {
        return (long) Double.parseDouble(ms.get().trim());
      }
      var s = resp.header("retry-after");
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

  private static void copyHeaders(UpstreamClient.Response resp, Call call) {
    resp.headers().forEach((n, vs) -> {
      if (!HOP_BY_HOP.contains(n.toLowerCase(Locale.ROOT))) {
        call.ex.responseHeaders().set(n, vs);
      }
    });
  }

  /** Passes the upstream body through as it arrives: what was read is sent before the next wait. */
  private void stream(Call call, Api api, UpstreamClient.Response resp, String provider, String profile)
      throws IOException {
    InputStream in = resp.body();
    if (!call.claim()) {
      in.close();
      return;
    }
    copyHeaders(resp, call);
    String type = resp.header("content-type").orElse("");
    boolean sse = type.contains("text/event-stream");
    long len = resp.header("content-length").map(Long::parseLong).orElse(-1L);
    call.ex.sendHeaders(resp.status(), sse || len < 0 ? 0 : len == 0 ? -1 : len);
    OutputStream out = call.ex.responseBody();
    byte[] buf = COPY_BUFFER.get();
    try (in) {
      while (true) {
        int r;
        try {
          r = in.read(buf);
        } catch (IOException upstreamDied) {
          log.println("gateway: " + provider + " stream from " + profile + " broke: " + upstreamDied);
          if (sse) {
            writeQuietly(out, api.streamError("The upstream connection to " + provider
                + " closed mid-stream: " + upstreamDied.getClass().getSimpleName()));
          }
          metrics.inc("clawauth_gateway_stream_errors_total", "provider", provider, "profile", profile);
          return;
        }
        if (r < 0) {
          break;
        }
        try {
          out.write(buf, 0, r);
          // Whatever has arrived goes out before the next wait for the network, in one write
          // however many events or chunks it holds.
          if (in.available() == 0) {
            out.flush();
          }
        } catch (IOException clientGone) {
          // Closing the upstream body (try-with-resources) cancels the upstream request.
          metrics.inc("clawauth_gateway_client_disconnects_total", "provider", provider);
          return;
        }
      }
      // The exchange's end flushes what is left together with the body's end.
    }
  }

  private static void writeQuietly(OutputStream out, byte[] b) {
    try {
      out.write(b);
      out.flush();
    } catch (IOException gone) {
      // nothing more to tell a client that is gone
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
