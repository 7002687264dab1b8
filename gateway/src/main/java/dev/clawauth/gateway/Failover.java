package dev.clawauth.gateway;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.env.EnvValue;
import dev.clawauth.gateway.translate.Answer;
import dev.clawauth.gateway.translate.Crossing;
import dev.clawauth.gateway.upstream.LoopUpstreamClient;
import dev.clawauth.hints.Durations;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.oauth.RefreshException;
import dev.clawauth.select.Candidates;
import dev.clawauth.select.FailureReason;
import dev.clawauth.store.CodexIds;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request's walk over its credentials, on its connection's event loop: the candidate profiles
 * in order, then the environment's credential, then the config's key. Each attempt is an upstream
 * call whose callbacks decide: pass the answer through (streaming it as it arrives), or cool the
 * profile down and go on to the next. Only an OAuth refresh, which may wait on a lock and a token
 * endpoint, and a first read of the environment (a login shell with env.shellEnv) leave the loop.
 */
final class Failover {
  /** Above this many bytes queued for a slow client, reading from the provider pauses. */
  static final long HIGH_WATER = 256 * 1024;
  private static final int MAX_ERROR_BODY = 1 << 20;

  private enum Phase { PROFILES, ENV, CONFIG, DONE }

  /** Why a credential was not used or failed, for the final error. */
  private record Miss(String label, String what) {}

  private final Proxy proxy;
  private final Call call;
  private final Api api;
  private final AgentState agent;
  /** Null when the request has no session id: it then keeps no sticky profile. */
  private final Sessions.Session session;
  private final ModelRef model;
  private final URI uri;
  private final Upstreams.Wire wire;
  private final boolean anthropicWire;
  private final RequestBody body;
  /** Null when the upstream speaks the client's dialect: its answers then pass through as they are. */
  private final Crossing crossing;
  private final StoreDocument doc;
  private final Candidates.Result candidates;
  private final Iterator<String> ids;
  private final List<Miss> misses = new ArrayList<>();
  private Phase phase = Phase.PROFILES;
  private StoreDocument current;
  private boolean triedBefore;
  /** Why the last attempt failed: the reason label of the failover that follows it. */
  private FailureReason lastFailure;
  private boolean envRead;
  private Attempt inFlight;

  Failover(Proxy proxy, Call call, Api api, AgentState agent, Sessions.Session session, ModelRef model,
      URI uri, Upstreams.Wire wire, RequestBody body, StoreDocument doc, Candidates.Result candidates,
      Crossing crossing) {
    this.proxy = proxy;
    this.call = call;
    this.api = api;
    this.agent = agent;
    this.session = session;
    this.model = model;
    this.uri = uri;
    this.wire = wire;
    this.anthropicWire = wire == Upstreams.Wire.ANTHROPIC;
    this.body = body;
    this.crossing = crossing;
    this.doc = doc;
    this.current = doc;
    this.candidates = candidates;
    this.ids = candidates.ids().iterator();
  }

  /** Starts the walk; the call is answered later, from the loop. */
  void start() {
    call.detach();
    call.ex.onClosed(this::clientGone);
    next();
  }

  private void clientGone() {
    Attempt a = inFlight;
    inFlight = null;
    if (a != null) {
      a.cancel();
      proxy.metrics.clientDisconnect(model.provider());
    }
    call.end();
  }

  /** Tries the next credential, or answers with the list of what was tried. */
  private void next() {
    try {
      walk();
    } catch (Throwable t) {
      crash(t);
    }
  }

  private void walk() throws Exception {
    String provider = model.provider();
    while (!call.ended()) {
      switch (phase) {
        case PROFILES -> {
          if (!ids.hasNext()) {
            phase = Phase.ENV;
            continue;
          }
          String id = ids.next();
          // After a failed attempt, look again: other requests may have cooled this profile down meanwhile.
          if (triedBefore) {
            current = agent.doc();
          }
          UsageStats u = current.usage(id);
          long at = agent.ctx().clock().millis();
          if (u.unusableAt(at)) {
            String why = u.disabledUntil() > at ? "disabled (" + (u.disabledReason() == null ? "billing"
                : u.disabledReason()) + ")" : "cooling down";
            Credential cooling = current.profiles().get(id);
            misses.add(new Miss(id, why + " until " + Instant.ofEpochMilli(u.unusableUntil())
                + " (in " + Durations.remaining(u.unusableUntil() - at) + ")"
                + (cooling != null && FixCommands.setupTokenRejected(cooling, u)
                    ? "; the setup-token was refused: " + FixCommands.forRejectedSetupToken(id, agent.ctx().agentId())
                    : "")));
            continue;
          }
          Credential c = current.profiles().get(id);
          if (c == null) {
            misses.add(new Miss(id, "removed from the store"));
            continue;
          }
          if (wire != Upstreams.Wire.CODEX && CodexIds.isCodexOAuth(agent.ctx().era().kind(), c)
              && Proxy.codexUpstream(agent.ctx(), api) == null) {
            // Checked before any refresh: a token this request cannot use is not worth renewing.
            misses.add(new Miss(id, "ChatGPT (Codex) OAuth serves only /v1/responses (and needs a valid"
                + " models.providers." + CodexIds.CODEX + ".baseUrl when one is set)"));
            continue;
          }
          if (proxy.mustWaitForAuth(agent, c)) {
            authOffLoop(id, c, at);
            return;
          }
          UpstreamAuth auth;
          try {
            auth = proxy.authFor(agent, id, c, anthropicWire);
          } catch (RefreshException e) {
            refused(id, e, at);
            continue;
          }
          tryWith(auth, id);
          return;
        }
        case ENV -> {
          if (!envRead && !agent.ctx().envLoaded()) {
            // A config edit meanwhile gave the agent a context whose environment is not read yet.
            envOffLoop();
            return;
          }
          phase = Phase.CONFIG;
          var envCred = agent.ctx().env().forProvider(provider);
          if (envCred.isPresent()) {
            UpstreamAuth auth = Proxy.envAuth(provider, envCred.get(), anthropicWire);
            tryWith(auth, auth.label());
            return;
          }
        }
        case CONFIG -> {
          phase = Phase.DONE;
          // Last, as OpenClaw takes it: the key in the provider's config entry.
          var configured = ConfigRefs.apiKey(agent.ctx(), provider);
          if (configured.isPresent()) {
            String key = "models.providers." + provider + ".apiKey";
            if (!configured.get().ok()) {
              misses.add(new Miss(key, configured.get().unset()));
            } else {
              ClawConfig config = agent.ctx().config();
              tryWith(Proxy.envAuth(provider, new EnvValue(key, new Secret(configured.get().value()),
                  key + " in " + config.path()), anthropicWire), key);
              return;
            }
          }
        }
        case DONE -> {
          noneUsable();
          return;
        }
      }
    }
  }

  /** A refresh may wait on the store lock and a token endpoint: it runs off the loop, the walk goes on on it. */
  private void authOffLoop(String id, Credential c, long at) {
    var got = new Object() {
      UpstreamAuth auth;
      RefreshException refusal;
      Throwable failure;
    };
    call.offLoop(proxy.blocking, () -> {
      try {
        got.auth = proxy.authFor(agent, id, c, anthropicWire);
      } catch (RefreshException e) {
        got.refusal = e;
      } catch (Throwable t) {
        got.failure = t;
      }
    }, () -> {
      if (got.auth != null) {
        tryWith(got.auth, id);
      } else if (got.refusal != null) {
        refused(id, got.refusal, at);
        next();
      } else {
        crash(got.failure);
      }
    });
  }

  /** Reading the environment may run the login shell: off the loop, then the walk goes on on it. */
  private void envOffLoop() {
    envRead = true;
    var ctx = agent.ctx();
    call.offLoop(proxy.blocking, () -> ConfigRefs.readEnv(ctx), this::next);
  }

  private void refused(String id, RefreshException e, long at) {
    String provider = model.provider();
    proxy.metrics.refresh(provider, id, e.terminal() ? "relogin" : "error");
    // TokenRefresher writes its own verdict (re-login mark or cooldown) to the store; counting the
    // failure again here would escalate the cooldown twice for one event.
    if (!proxy.refresherRecordsFailures()) {
      agent.record(new AgentState.Outcome(provider, id, FailureReason.AUTH, at, 0));
    }
    proxy.log.println("gateway: " + provider + " profile " + id + " not usable: " + Proxy.firstLine(e.getMessage()));
    misses.add(new Miss(id, e.getMessage() + (e.terminal() && !e.getMessage().contains("log in again")
        ? "; log in again: " + FixCommands.forRelogin(provider, id, agent.ctx().agentId()) : "")));
  }

  /** One attempt with {@code auth}; a failure is listed under {@code missLabel}. */
  private void tryWith(UpstreamAuth auth, String missLabel) {
    if (triedBefore) {
      proxy.metrics.failover(model.provider(), Proxy.metricsLabel(auth), lastFailure);
    }
    triedBefore = true;
    attempt(auth, missLabel);
  }

  private void noneUsable() throws IOException {
    String provider = model.provider();
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
      if (provider.equals(CodexIds.CODEX) && !CodexIds.stored(agent.ctx().era().kind()).equals(CodexIds.CODEX)) {
        // That login stores provider openai here (OpenClaw 2026.9), which an openai-codex model never selects.
        msg.append(" On this OpenClaw 2026.9 store it is saved as provider openai: ask for the model as "
            + CodexIds.OPENAI + "/" + model.model() + ".");
      }
    } else {
      msg.append(": ");
      for (int i = 0; i < misses.size(); i++) {
        msg.append(i == 0 ? "" : "; ").append(misses.get(i).label()).append(": ").append(misses.get(i).what());
      }
      msg.append('.');
    }
    long retryAfter = retryAfterSeconds();
    if (retryAfter > 0) {
      call.ex.responseHeaders().set("retry-after", Long.toString(retryAfter));
    }
    call.error(api, 503, msg.toString());
  }

  /**
   * When every candidate profile is cooling down or disabled (this walk's failures included), the
   * whole seconds until the first of them comes back, at least 1; 0 when one is out for another
   * reason (none configured, a login needed, a credential this request cannot use), since waiting
   * does not bring that back.
   */
  private long retryAfterSeconds() {
    StoreDocument latest;
    try {
      latest = agent.doc();
    } catch (Exception e) {
      latest = current;
    }
    long at = agent.ctx().clock().millis();
    long earliest = Long.MAX_VALUE;
    for (String id : candidates.ids()) {
      if (latest.profiles().get(id) == null) {
        continue;
      }
      UsageStats u = latest.usage(id);
      if (!u.unusableAt(at)) {
        return 0;
      }
      earliest = Math.min(earliest, u.unusableUntil());
    }
    return earliest == Long.MAX_VALUE ? 0 : Math.max(1, (earliest - at + 999) / 1000);
  }

  /** Something threw where nothing should: a 500 if nothing was sent yet, else the connection is dropped. */
  private void crash(Throwable t) {
    Attempt a = inFlight;
    inFlight = null;
    if (a != null) {
      a.cancel();
    }
    if (call.ended()) {
      return;
    }
    proxy.log.println("gateway: " + call.ex.method() + " " + call.ex.path() + " failed: " + t);
    try {
      if (!call.answered()) {
        call.error(api, 500, "Internal gateway error: " + t.getClass().getSimpleName());
        return;
      }
    } catch (IOException | RuntimeException ignored) {
      // the client is gone
    }
    // A body cut short must not look complete to the client.
    call.ex.abort();
    call.end();
  }

  private void attempt(UpstreamAuth auth, String missLabel) {
    URI target = uri;
    if (auth.kind() == UpstreamAuth.Kind.CODEX_OAUTH && wire != Upstreams.Wire.CODEX) {
      // Codex OAuth under provider openai (OpenClaw 2026.9) goes to the Codex backend, its API keys do not.
      target = Proxy.codexUpstream(agent.ctx(), api);
      if (target == null) {
        // The config changed since the walk checked it: never send a ChatGPT token elsewhere.
        misses.add(new Miss(missLabel, "no usable Codex endpoint (models.providers." + CodexIds.CODEX + ".baseUrl)"));
        next();
        return;
      }
    }
    Injection.Prepared prepared = Injection.prepare(auth, call.ex.requestHeaders().asMap(), body, model,
        agent.ctx().config());
    Map<String, String> headers = prepared.headers();
    if (!headers.containsKey("content-type")) {
      headers.put("content-type", "application/json");
    }
    if (crossing != null) {
      // The client's accept header was for its own dialect's answer.
      headers.put("accept", crossing.upstreamStreams() ? "text/event-stream" : "application/json");
    }
    String unsendable = Injection.unsendable(headers);
    if (unsendable != null) {
      refuseUnsendable(auth, missLabel, unsendable, headers.get(unsendable));
      return;
    }
    Attempt a = new Attempt(auth, missLabel, target);
    inFlight = a;
    a.handle = proxy.http.post(call.ex.loop(), target, headers, prepared.body(), proxy.settings.upstreamTimeout(), a);
  }

  /**
   * A header whose value holds a control byte (a key pasted with its line break, a config header
   * with one) would split or corrupt the request upstream: it is never sent, and the walk goes on
   * with the next credential. The value is not shown; it may be the key.
   */
  private void refuseUnsendable(UpstreamAuth auth, String missLabel, String header, String value) {
    String provider = model.provider();
    boolean fromCredential = (!auth.secret().value().isEmpty() && value.contains(auth.secret().value()))
        || (auth.accountId() != null && !auth.accountId().isEmpty() && value.contains(auth.accountId()));
    String what;
    if (!fromCredential) {
      what = "the " + header + " header from models.providers." + provider + ".headers in "
          + agent.ctx().config().path() + " holds a control character (a line break?) and is not sent; remove it";
    } else if (auth.fromStore()) {
      what = "the stored credential holds a control character (a line break pasted with it?) and is not sent;"
          + " store it again: " + FixCommands.forMissing(provider, agent.ctx().agentId());
    } else {
      what = "the credential from " + auth.label() + " holds a control character (a line break?) and is not sent;"
          + " set it again without it";
    }
    proxy.log.println("gateway: " + provider + " " + missLabel + " not usable: " + what);
    misses.add(new Miss(missLabel, what));
    next();
  }

  /** One upstream call and what its answer means. */
  private final class Attempt implements LoopUpstreamClient.Listener {
    private final UpstreamAuth auth;
    private final String missLabel;
    private final String profileLabel;
    /** Where it is sent: the provider's endpoint, or the Codex backend for Codex OAuth under openai. */
    private final URI target;
    private final long t0 = System.nanoTime();
    private LoopUpstreamClient.Exchange handle;
    private int status;
    private Map<String, List<String>> headers;
    /** The body of an error answer, read whole before it is judged. */
    private ByteArrayOutputStream error;
    private boolean streaming;
    private boolean sse;
    /** A crossing call's answer, translated for the client; null when it passes through. */
    private Answer answer;
    private boolean paused;
    private boolean flushQueued;
    private boolean cancelled;

    Attempt(UpstreamAuth auth, String missLabel, URI target) {
      this.target = target;
      this.auth = auth;
      this.missLabel = missLabel;
      this.profileLabel = Proxy.metricsLabel(auth);
    }

    void cancel() {
      cancelled = true;
      if (handle != null) {
        handle.cancel();
      }
    }

    private boolean current() {
      return !cancelled && inFlight == this && !call.ended();
    }

    @Override
    public void onHead(int status, Map<String, List<String>> headers) {
      if (!current()) {
        return;
      }
      try {
        head(status, headers);
      } catch (Throwable t) {
        crash(t);
      }
    }

    private void head(int status, Map<String, List<String>> headers) throws IOException {
      String provider = model.provider();
      this.status = status;
      this.headers = headers;
      proxy.metrics.upstream(provider, profileLabel).answered(status, System.nanoTime() - t0);
      if (status >= 400) {
        error = new ByteArrayOutputStream();
        return;
      }
      if (auth.fromStore()) {
        agent.record(new AgentState.Outcome(provider, auth.profileId(), null, agent.ctx().clock().millis(), 0));
        if (session != null && session.pinnedProfile == null) {
          session.sticky.put(provider, auth.profileId());
        }
      }
      if (!call.claim()) {
        cancel();
        return;
      }
      sse = Proxy.first(headers, "content-type").filter(t -> t.contains("text/event-stream")).isPresent();
      if (crossing != null) {
        answer = crossing.answer(sse, proxy.settings.maxBodyBytes());
        sse = crossing.clientStreams();
        streaming = true;
        if (sse) {
          Proxy.copyHeaders(headers, call);
          call.ex.responseHeaders().set("content-type", crossing.contentType());
          call.ex.sendHeaders(status, 0);
        }
        return;
      }
      Proxy.copyHeaders(headers, call);
      long len = Proxy.first(headers, "content-length").map(v -> Long.parseLong(v.trim())).orElse(-1L);
      call.ex.sendHeaders(status, sse || len < 0 ? 0 : len == 0 ? -1 : len);
      streaming = true;
    }

    @Override
    public void onBody(ByteBuffer data) {
      if (!current()) {
        return;
      }
      try {
        if (error != null) {
          int room = MAX_ERROR_BODY - error.size();
          int n = Math.min(room, data.remaining());
          if (n > 0) {
            byte[] b = new byte[n];
            data.get(b);
            error.write(b, 0, n);
          }
          return;
        }
        if (!streaming) {
          return;
        }
        if (answer != null) {
          byte[] out;
          try {
            out = answer.feed(data);
          } catch (Answer.TooLarge tooLarge) {
            handle.cancel();
            inFlight = null;
            call.sendClaimed(502, "application/json", api.error(502, "The answer from " + model.provider() + " could"
                + " not be translated: " + tooLarge.getMessage() + " (gateway.maxBodyBytes)."), false);
            return;
          }
          if (out.length > 0) {
            call.ex.responseBody().write(out);
            queueFlush();
          }
        } else {
          write(data);
        }
        if (call.ex.queuedBytes() > HIGH_WATER && !paused) {
          paused = true;
          handle.pause();
          call.ex.onDrained(() -> {
            paused = false;
            if (current()) {
              handle.resume();
            }
          });
        }
      } catch (Throwable t) {
        crash(t);
      }
    }

    private void write(ByteBuffer data) throws IOException {
      if (data.hasArray()) {
        call.ex.responseBody().write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        data.position(data.limit());
      } else {
        byte[] buf = proxy.copyBuffer();
        while (data.hasRemaining()) {
          int n = Math.min(buf.length, data.remaining());
          data.get(buf, 0, n);
          call.ex.responseBody().write(buf, 0, n);
        }
      }
      queueFlush();
    }

    private void queueFlush() {
      // Whatever arrived in this turn of the loop goes out in one write, however many events it holds.
      if (!flushQueued) {
        flushQueued = true;
        call.ex.loop().execute(() -> {
          flushQueued = false;
          if (!call.ended()) {
            call.ex.flush();
          }
        });
      }
    }

    @Override
    public void onEnd() {
      if (!current()) {
        return;
      }
      try {
        if (error != null) {
          judge(error.toByteArray());
        } else if (answer != null) {
          finishAnswer();
        } else {
          inFlight = null;
          call.end();
        }
      } catch (Throwable t) {
        crash(t);
      }
    }

    /** The end of a crossing call's answer: its last translated bytes, or the whole translated answer. */
    private void finishAnswer() throws IOException {
      inFlight = null;
      byte[] out;
      try {
        out = answer.finish();
      } catch (IOException untranslatable) {
        String msg = "The answer from " + model.provider() + " could not be translated: " + untranslatable.getMessage();
        proxy.log.println("gateway: " + msg);
        if (sse) {
          call.ex.responseBody().write(api.streamError(msg));
          call.end();
        } else {
          call.sendClaimed(502, "application/json", api.error(502, msg), false);
        }
        return;
      }
      if (call.meter != null) {
        call.meter.translated(answer.usage());
      }
      if (sse) {
        call.ex.responseBody().write(out);
        call.end();
      } else {
        Proxy.copyHeaders(headers, call);
        call.sendClaimed(status, crossing.contentType(), out, false);
      }
    }

    @Override
    public void onError(IOException e) {
      if (!current()) {
        return;
      }
      try {
        failedWith(e);
      } catch (Throwable t) {
        crash(t);
      }
    }

    private void failedWith(IOException e) throws IOException {
      String provider = model.provider();
      if (streaming && answer != null && !sse) {
        inFlight = null;
        proxy.metrics.upstream(provider, profileLabel).streamBroke();
        call.sendClaimed(502, "application/json", api.error(502, "The upstream connection to " + provider
            + " closed mid-answer: " + e.getClass().getSimpleName()), false);
        return;
      }
      if (streaming) {
        inFlight = null;
        proxy.log.println("gateway: " + provider + " stream from " + profileLabel + " broke: " + e);
        proxy.metrics.upstream(provider, profileLabel).streamBroke();
        if (sse) {
          call.ex.responseBody().write(api.streamError("The upstream connection to " + provider
              + " closed mid-stream: " + e.getClass().getSimpleName()));
          call.end();
        } else {
          // A body cut short must not look complete to the client.
          call.ex.abort();
          call.end();
        }
        return;
      }
      if (error != null) {
        judge(error.toByteArray());
        return;
      }
      if (e instanceof LoopUpstreamClient.UnreachableException && !target.equals(uri)) {
        inFlight = null;
        // Only this credential goes to the Codex backend: the provider's other profiles may still serve.
        proxy.log.println("gateway: " + CodexIds.CODEX + " endpoint unreachable: " + e.getMessage());
        misses.add(new Miss(missLabel, "the Codex backend is unreachable (" + e.getMessage() + "; models.providers."
            + CodexIds.CODEX + ".baseUrl)"));
        next();
        return;
      }
      if (e instanceof LoopUpstreamClient.UnreachableException) {
        inFlight = null;
        // Every profile shares the endpoint, so failing over or cooling one down would not help.
        proxy.metrics.unreachable(provider);
        proxy.log.println("gateway: " + provider + " endpoint unreachable: " + e.getMessage());
        call.error(api, 502, "Cannot reach " + provider + " at "
            + (uri.getRawAuthority() == null ? "" : uri.getScheme() + "://") + e.getMessage()
            + ". Check that the endpoint is up, or set models.providers." + provider + ".baseUrl in "
            + agent.ctx().config().path() + ".");
        return;
      }
      if (e instanceof SocketTimeoutException) {
        failOver(FailureReason.TIMEOUT, 0, "timed out after " + proxy.settings.upstreamTimeout().toMillis() + " ms");
      } else {
        failOver(FailureReason.TIMEOUT, 0, "connection failed: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " " + e.getMessage()));
      }
    }

    /** An error answer, read whole: passed through as it is, or the reason to try the next credential. */
    private void judge(byte[] raw) throws IOException {
      inFlight = null;
      byte[] err = Proxy.withoutSecrets(raw, auth);
      String errText = new String(err, StandardCharsets.UTF_8);
      String lower = errText.toLowerCase(Locale.ROOT);
      FailureReason reason = lower.contains(Proxy.CLAUDE_CODE_ONLY) ? FailureReason.AUTH
          : FailureReason.classify(status, errText);
      if (reason == null || reason == FailureReason.UNKNOWN) {
        // The client's own request is at fault (or the provider failed in a way another credential
        // would not fix): pass the answer through as it is.
        if (call.claim()) {
          Proxy.copyHeaders(headers, call);
          if (crossing != null) {
            // The client reads errors in its own dialect's shape.
            err = api.error(status, Proxy.providerMessage(errText, auth));
            call.ex.responseHeaders().set("content-type", "application/json");
          }
          call.ex.sendHeaders(status, err.length == 0 ? -1 : err.length);
          if (err.length > 0) {
            call.ex.responseBody().write(err);
          }
          call.end();
        }
        return;
      }
      long retryAfter = status == 429 || status == 503 || status == 529 ? Proxy.retryAfterMs(headers) : 0;
      String detail = status + " " + ((status == 401 || status == 403) && !lower.contains(Proxy.CLAUDE_CODE_ONLY) && setupToken(auth)
          // A setup-token cannot be renewed or logged into again: only a new paste fixes it.
          ? Proxy.providerMessage(errText, auth) + " -- the setup-token was refused; "
              + FixCommands.forRejectedSetupToken(auth.profileId(), agent.ctx().agentId())
          : Proxy.guidance(lower, auth, agent, errText));
      failOver(reason, retryAfter, detail);
    }

    private boolean setupToken(UpstreamAuth a) {
      return a.fromStore() && current.profiles().get(a.profileId()) instanceof Credential.Token t
          && t.token().value().startsWith(dev.clawauth.credentials.KeyShapes.SETUP_TOKEN_PREFIX);
    }

    private void failOver(FailureReason reason, long retryAfterMs, String detail) {
      inFlight = null;
      lastFailure = reason;
      misses.add(new Miss(missLabel, proxy.failed(agent, auth, reason, retryAfterMs, detail, model.provider(),
          profileLabel)));
      next();
    }
  }
}
