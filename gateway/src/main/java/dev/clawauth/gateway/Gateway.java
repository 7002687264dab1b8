package dev.clawauth.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.gateway.http.EventLoop;
import dev.clawauth.gateway.http.LoopExchange;
import dev.clawauth.gateway.http.LoopHandler;
import dev.clawauth.gateway.http.LoopServer;
import dev.clawauth.gateway.keys.ClientKey;
import dev.clawauth.gateway.upstream.LoopUpstreamClient;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.json.JsonText;
import dev.clawauth.oauth.OAuthRefresher;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import dev.clawauth.status.StatusReport;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local gateway: serves the Anthropic and OpenAI APIs on loopback, authenticates clients with
 * its own token, and calls providers with the agents' stored credentials.
 *
 * <pre>{@code
 * try (Gateway g = Gateway.start(Environment.system(), settings, OAuthRefresher.STORED_ONLY,
 *     Clock.systemUTC(), System.err)) { ... }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
  static final String AGENT_HEADER = "x-clawauth-agent";
  static final String SESSION_HEADER = "x-clawauth-session";

  private final GatewaySettings settings;
  private final Clock clock;
  private final PrintStream log;
  private final StatePaths paths;
  private final Secret token;
  private final LoopServer server;
  /** The threads that do all socket work: each connection, and its upstream calls, stay on one. */
  private final List<EventLoop> loops;
  /** Work that may block (an OAuth refresh, a DNS lookup), kept off the loops. */
  private final ExecutorService blocking;
  private final ScheduledExecutorService timers;
  private final LoopUpstreamClient http;
  private final Map<String, AgentState> agents = new ConcurrentHashMap<>();
  private final Sessions sessions;
  private final ClientAccess access;
  private final StoreHealth health = new StoreHealth();
  private final Metrics metrics = new Metrics();
  private final Semaphore inFlight;
  private final Proxy proxy;
  private final String defaultAgent;
  private final ConfigWatch configs;
  private final AtomicBoolean closing = new AtomicBoolean();
  /** Completes when the first {@link #close} is done. */
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final CompletableFuture<Void> cutNow = new CompletableFuture<>();
  /** How long an idle keep-alive connection is kept open. */
  static final long IDLE_MS = 60_000;
  static final int MAX_HEAD_BYTES = 64 * 1024;

  private Gateway(Environment env, String agentId, GatewaySettings settings, OAuthRefresher refresher, Clock clock,
      PrintStream log) throws IOException, JsonFileException {
    this.settings = settings;
    this.clock = clock;
    this.log = log;
    AgentContext main = AgentContext.open(env, agentId, clock);
    this.paths = main.paths();
    this.defaultAgent = main.agentId();
    AgentState first = new AgentState(main, this::flushSoon);
    try {
      // A store that does not parse stops the start with its file:line:col: there is nothing to serve.
      first.snapshot();
    } catch (dev.clawauth.store.StoreUnavailableException down) {
      // A database that is down may come back: the gateway starts and says so on /healthz.
    }
    agents.put(main.agentId(), first);
    metrics.profiles(agents::values);
    this.configs = new ConfigWatch(main.config(), log);
    this.token = GatewayToken.loadOrCreate(main);
    this.sessions = new Sessions(GatewaySettings.pinIdleTtl(paths, main.config()).toMillis());
    this.access = new ClientAccess(paths, token, sessions, clock, log);
    metrics.keys(access.usage()::snapshot);
    this.inFlight = new Semaphore(Math.max(1, settings.maxConcurrentRequests()));
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "clawauth-gateway-timers");
      t.setDaemon(true);
      return t;
    });
    this.blocking = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "clawauth-gateway-blocking");
      t.setDaemon(true);
      return t;
    });
    this.loops = new ArrayList<>();
    LoopServer started;
    try {
      // Loaded beside the start-up, not in its way; an https call in the first moment waits for it.
      var tls = CompletableFuture.supplyAsync(Gateway::defaultTls, blocking);
      this.http = new LoopUpstreamClient(Duration.ofSeconds(10), System::currentTimeMillis, tls::join, blocking);
      this.proxy = new Proxy(http, blocking, refresher, sessions, metrics, settings, log);
      for (int i = 0; i < loopCount(); i++) {
        loops.add(EventLoop.start("clawauth-loop-" + i, log));
      }
      started = LoopServer.start(settings.bindAddress(), settings.port(), 1024,
          new LoopServer.Limits(settings.maxConnections(), settings.readTimeout().toMillis(), IDLE_MS, MAX_HEAD_BYTES,
              settings.maxBodyBytes(), settings.admission(), settings.headTimeout().toMillis(), settings.bodyBudget()),
          new LoopHandler() {
            @Override
            public void handle(LoopExchange ex) {
              Gateway.this.handle(ex);
            }

            @Override
            public LoopHandler.Refusal admit(LoopExchange ex) {
              return Gateway.this.admit(ex);
            }

            @Override
            public void refuse(LoopExchange ex, int status, String message) throws IOException {
              Gateway.this.refuse(ex, status, message);
            }
          }, loops, log);
    } catch (IOException | RuntimeException e) {
      // A port in use must not leave the threads of a gateway that never ran.
      timers.shutdownNow();
      loops.forEach(EventLoop::close);
      blocking.shutdownNow();
      throw e;
    }
    this.server = started;
    metrics.admission(started.admission());
    long every = settings.flushInterval().toMillis();
    repeat(this::flushQuietly, every);
    repeat(this::checkConfigQuietly, ConfigWatch.CHECK_MS);
  }

  // Nothing waits on these tasks: they run until close shuts the timers down.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void repeat(Runnable task, long everyMs) {
    timers.scheduleWithFixedDelay(task, everyMs, everyMs, TimeUnit.MILLISECONDS);
  }

  private void checkConfigQuietly() {
    try {
      ClawConfig config = configs.checkNow();
      // Switched here rather than by the next request, which would otherwise also pay for reading
      // the environment again (with env.shellEnv, a login shell).
      for (var e : agents.entrySet()) {
        AgentState a = e.getValue();
        if (a.offered() != config) {
          if (a.useConfig(config)) {
            a.ctx().env();
          } else {
            log.println("gateway: the edited config moves agent " + e.getKey() + "'s directory; restart the gateway"
                + " to use it (until then the agent keeps " + a.ctx().agentDir() + ")");
          }
        }
      }
    } catch (RuntimeException e) {
      // A failed look must not cancel the timer that looks again.
      log.println("gateway: could not re-read " + paths.configPath() + ": " + e);
    }
  }

  /** Opens the state, loads or creates the gateway token, and starts listening. */
  public static Gateway start(Environment env, GatewaySettings settings, OAuthRefresher refresher,
      Clock clock, PrintStream log) throws IOException, JsonFileException {
    return new Gateway(env, null, settings, refresher, clock, log);
  }

  /**
   * A gateway whose requests that name no agent (no {@code x-clawauth-agent} header, no
   * {@code /agents/<id>/} path, no client key of another agent) go to {@code agentId} instead of
   * the config's default agent; null means the default.
   */
  public static Gateway start(Environment env, String agentId, GatewaySettings settings, OAuthRefresher refresher,
      Clock clock, PrintStream log) throws IOException, JsonFileException {
    return new Gateway(env, agentId, settings, refresher, clock, log);
  }

  public InetSocketAddress address() {
    return server.address();
  }

  public int port() {
    return server.address().getPort();
  }

  public GatewaySettings settings() {
    return settings;
  }

  public Secret token() {
    return token;
  }

  /** Request-body bytes buffered now across all connections (at most {@link GatewaySettings#bodyBudget}). */
  public long bufferedBodyBytes() {
    return server.bufferedBodyBytes();
  }

  public Metrics metrics() {
    return metrics;
  }

  /** The server's admission of connections without the token, and its counts. */
  public dev.clawauth.gateway.http.Admission<?> admission() {
    return server.admission();
  }

  /** Writes every agent's pending usage outcomes now. */
  public void flush() {
    health.check(agents.values(), log);
    agents.values().forEach(this::flush);
  }

  private void flush(AgentState a) {
    try {
      a.flush();
    } catch (dev.clawauth.store.StoreUnavailableException down) {
      // Told once by the health check; the outcomes wait in memory.
    } catch (IOException | JsonFileException | RuntimeException e) {
      log.println("gateway: could not write usage stats to " + a.ctx().store().path() + ": " + e.getMessage());
    }
  }

  /**
   * A failure is written at once, on the timer thread, unless the agent's outcomes were written
   * less than a flush interval (1 s) ago: the timer's next flush writes it then, so an agent's
   * store is written at most once an interval by this host whatever happens.
   */
  private void flushSoon(AgentState a) {
    try {
      timers.execute(() -> {
        if (a.mayFlush(settings.flushInterval())) {
          flush(a);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // the gateway is stopping; close() flushes
    }
  }

  /** The timer's flush: an agent whose outcomes were written less than an interval ago waits for the next tick. */
  private void flushQuietly() {
    try {
      access.flush();
      health.check(agents.values(), log);
      for (AgentState a : agents.values()) {
        if (a.mayFlush(settings.flushInterval())) {
          flush(a);
        }
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: the next tick must still write.
      log.println("gateway: flushing usage stats and state failed: " + e);
    }
  }

  /** {@link #close(String, Duration)} with the configured grace ({@code gateway.shutdownGrace}). */
  @Override
  public void close() {
    close(null, settings.shutdownGrace());
  }

  /** {@link #close(String, Duration)} with no cause named. */
  public void close(Duration grace) {
    close(null, grace);
  }

  /**
   * Stops: refuses new connections at once, closes idle ones, lets requests in progress finish
   * (streams included) for up to {@code grace}, then cuts what remains, writes the usage stats and
   * stops the loops. {@code cause} (a signal's name, or null) goes into the log line. A second call
   * waits for the first to finish; {@link #cutNow} ends the wait for requests at once.
   */
  public void close(String cause, Duration grace) {
    if (!closing.compareAndSet(false, true)) {
      stopped.join();
      return;
    }
    try {
      int inProgress = server.drain();
      log.println("gateway: stopping" + (cause == null ? "" : " (" + cause + ")") + ", " + inProgress
          + (inProgress == 1 ? " request" : " requests") + " in flight, grace " + shown(grace));
      if (inProgress > 0) {
        awaitDrained(grace);
      }
      int cut = server.cut();
      if (cut > 0) {
        log.println("gateway: cut " + cut + (cut == 1 ? " request" : " requests") + " still in flight "
            + (cutNow.isDone() ? "at a second signal" : "when the grace of " + shown(grace) + " expired"));
      }
      http.close();
      loops.forEach(EventLoop::close);
      timers.shutdownNow();
      blocking.shutdownNow();
      flush();
      access.flush();
      log.println("gateway: stopped");
    } finally {
      stopped.complete(null);
    }
  }

  /** Ends the wait of a {@link #close} in progress: the requests still in flight are cut now. */
  public void cutNow() {
    cutNow.complete(null);
  }

  private void awaitDrained(Duration grace) {
    try {
      CompletableFuture.anyOf(server.drained(), cutNow).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException expired) {
      // what is still in flight is cut
    } catch (ExecutionException impossible) {
      throw new IllegalStateException(impossible.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A duration as the config takes it: 10s, 1500ms, 2m. */
  private static String shown(Duration d) {
    long ms = d.toMillis();
    return ms % 60_000 == 0 && ms > 0 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static javax.net.ssl.SSLContext defaultTls() {
    try {
      return javax.net.ssl.SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no default TLS context", e);
    }
  }

  /**
   * One loop by default: on a small machine a second would only contend with the providers and
   * clients for the same cores; {@code -Dclawauth.gateway.loops} raises it on a big host.
   */
  private static int loopCount() {
    String n = System.getProperty("clawauth.gateway.loops");
    int cores = Runtime.getRuntime().availableProcessors();
    try {
      return n == null ? Math.max(1, Math.min(4, cores / 4)) : Math.max(1, Integer.parseInt(n.trim()));
    } catch (NumberFormatException bad) {
      return 1;
    }
  }

  // ---- request handling

  private void handle(LoopExchange ex) {
    String rawPath = ex.path();
    String agentId = ex.requestHeaders().first(AGENT_HEADER);
    String path = apiPath(rawPath);
    if (rawPath.startsWith(AGENTS_PREFIX)) {
      int end = rawPath.indexOf('/', AGENTS_PREFIX.length());
      agentId = rawPath.substring(AGENTS_PREFIX.length(), end < 0 ? rawPath.length() : end);
    }
    ClientAccess.Who who = path.equals("/healthz") ? new ClientAccess.Who(null, defaultAgent, 0, null)
        : access.who(ex, agentId == null || agentId.isBlank() ? null : agentId.trim(), defaultAgent);
    String agent = who.agent();
    Api dialect = Api.errorDialect(path, ex.requestHeaders().has("anthropic-version"));
    Api api = Api.forPath(path);
    if (!inFlight.tryAcquire()) {
      Call refused = new Call(ex, path, agent, () -> metrics.request(api, 503));
      try {
        ex.responseHeaders().set("retry-after", "1");
        refused.error(dialect, 503, "The gateway is at its limit of " + settings.maxConcurrentRequests()
            + " concurrent requests; retry shortly.");
      } catch (IOException ignored) {
        // the client is gone
      } finally {
        refused.end();
      }
      return;
    }
    ClientAccess.Meter meter = access.meter(ex, who);
    Call call = new Call(ex, path, agent, () -> {
      inFlight.release();
      access.ended(who, ex.status() == 0 ? 499 : ex.status(), meter);
      // 499: the client went away before an answer was sent, as nginx counts it.
      metrics.request(api, ex.status() == 0 ? 499 : ex.status());
    });
    call.client = who.key();
    call.meter = meter;
    if (who.refusal() != null) {
      try {
        call.error(dialect, who.status(), who.refusal());
      } catch (IOException ignored) {
        // the client is gone
      } finally {
        call.end();
      }
      return;
    }
    run(call, dialect, rawPath, false);
  }

  /** Routes the call on its loop; whatever it throws, or leaves unanswered without detaching, is a 500. */
  private void run(Call call, Api dialect, String rawPath, boolean envRead) {
    LoopExchange ex = call.ex;
    try {
      route(call, dialect, envRead);
    } catch (Throwable t) {
      if (!call.answered()) {
        log.println("gateway: " + ex.method() + " " + rawPath + " failed: " + t);
        try {
          if (t instanceof dev.clawauth.store.StoreUnavailableException down) {
            // Nothing read yet to serve from (a pool once read is kept while the database is down).
            call.error(dialect, 503, down.getMessage() + "; the gateway has no pool read yet. Retry when it is back.");
          } else if (t instanceof JsonFileException broken) {
            // Nothing read yet to serve from (a pool once read is kept while the file is broken).
            call.error(dialect, 503, "The credential store does not parse: " + broken.getMessage()
                + " The gateway has no earlier reading of it to serve from; it serves again once the file is fixed.");
          } else {
            call.error(dialect, 500, "Internal gateway error: " + t.getClass().getSimpleName());
          }
        } catch (IOException | RuntimeException ignored) {
          // the client is gone
        }
      } else {
        ex.closeAfter();
      }
      call.end();
    } finally {
      if (!call.detached()) {
        call.end();
      }
    }
  }

  private static final String AGENTS_PREFIX = "/agents/";

  /** The API path of a request, without an {@code /agents/<id>} prefix. */
  private static String apiPath(String rawPath) {
    if (!rawPath.startsWith(AGENTS_PREFIX)) {
      return rawPath;
    }
    int end = rawPath.indexOf('/', AGENTS_PREFIX.length());
    return end < 0 ? "/" : rawPath.substring(end);
  }

  private void route(Call call, Api dialect, boolean envRead) throws Exception {
    LoopExchange ex = call.ex;
    String method = ex.method();
    if (call.path.equals("/healthz")) {
      ObjectNode health = Json.object();
      AgentState main = agents.get(defaultAgent);
      if (main != null) {
        main.look();
      }
      health.put("status", main != null && StoreHealth.of(main).isPresent() ? "degraded" : "ok");
      if (main != null) {
        StoreHealth.describe(health, main);
      }
      call.send(200, "application/json", JsonBytes.write(health));
      return;
    }
    AgentState agent;
    try {
      agent = agent(call.agentId);
    } catch (IllegalArgumentException bad) {
      call.error(dialect, 404, "Unknown agent: " + bad.getMessage());
      return;
    }
    if (!envRead && !agent.ctx().envLoaded()) {
      readEnvOffLoop(call, dialect, agent.ctx());
      return;
    }
    Api api = Api.forPath(call.path);
    if (method.equals("GET")) {
      switch (call.path) {
        case "/status" -> {
          var doc = agent.doc();
          // A broken file is not read again here: its last good reading is what is served.
          List<String> pendingImports = agent.corruption().isPresent() ? List.of() : agent.ctx().store().pendingImports();
          ObjectNode report = StatusReport.build(agent.ctx(), doc, pendingImports, agent.ctx().env(), clock.millis());
          StoreHealth.describe(report, agent);
          report.set("clientKeys", access.status(call.client));
          call.send(200, "application/json", JsonText.pretty(report).getBytes(StandardCharsets.UTF_8));
        }
        case "/metrics" -> {
          // Its series name every agent's profiles and every key's usage.
          if (call.client != null) {
            call.error(dialect, 403, "/metrics is for the gateway token; a client key sees its own usage on /status");
          } else {
            call.send(200, Metrics.CONTENT_TYPE, metrics.scrape());
          }
        }
        case "/v1/models" -> call.send(200, "application/json", models(modelIds(agent.ctx().config(), call.client),
            ex.requestHeaders().has("anthropic-version")));
        default -> {
          if (call.path.startsWith(MODELS_PREFIX)) {
            // The SDKs' models.retrieve: "provider/model" arrives as one %2F-encoded segment, decoded here.
            String id = call.path.substring(MODELS_PREFIX.length());
            if (modelIds(agent.ctx().config(), call.client).contains(id)) {
              call.send(200, "application/json", JsonBytes.write(model(id, ex.requestHeaders().has("anthropic-version"))));
            } else {
              call.error(dialect, 404, "Unknown model: " + id + ". GET /v1/models lists the configured models and aliases.");
            }
          } else {
            call.error(dialect, 404, "Not found: GET " + call.path);
          }
        }
      }
      return;
    }
    if (!method.equals("POST") || api == null) {
      call.error(dialect, 404, "Not found: " + method + " " + call.path);
      return;
    }
    proxy.handle(call, api, agent, ex.requestBody());
  }

  /**
   * An agent's environment is read on first use, and with {@code env.shellEnv} that runs its login
   * shell (seconds, up to its timeout): that runs off the loop, then the request starts over on it.
   */
  private void readEnvOffLoop(Call call, Api dialect, AgentContext ctx) {
    call.ex.onClosed(call::end);
    call.offLoop(blocking, () -> ConfigRefs.readEnv(ctx), () -> {
      call.attach();
      run(call, dialect, call.ex.path(), true);
    });
  }

  /**
   * The gateway token is checked on the request's head, before its body is read: a client without
   * it cannot make the gateway hold bodies (up to maxConnections x maxBodyBytes otherwise).
   */
  private LoopHandler.Refusal admit(LoopExchange ex) {
    StringBuilder why = new StringBuilder();
    if (access.admits(ex, why)) {
      ex.authenticate();
      return null;
    }
    if (apiPath(ex.path()).equals("/healthz")) {
      // A body would hold part of the global body budget for a client that showed no token.
      String length = ex.requestHeaders().first("content-length");
      if (ex.requestHeaders().has("transfer-encoding") || (length != null && !length.trim().equals("0"))) {
        return new LoopHandler.Refusal(400, "/healthz takes no request body without the gateway token.");
      }
      return null;
    }
    return new LoopHandler.Refusal(401, why.length() > 0 ? why.toString() : "Missing or wrong gateway token. Send the"
        + " token shown by `clawauth gateway token`, or a client key, as x-api-key or Authorization: Bearer.");
  }

  AgentState agent(String id) throws IOException, JsonFileException {
    ClawConfig config = configs.current();
    AgentState known = agents.get(id);
    if (known != null) {
      if (known.offered() != config) {
        // The timer switches agents as soon as it sees the change; this covers a request in between.
        known.useConfig(config);
      }
      return known;
    }
    dev.clawauth.state.AgentIds.validate(id);
    // An agent added a moment ago (`clawauth agents add`) must be opened with the config that has it.
    AgentContext ctx = AgentContext.open(paths, configs.checkNow(), id, clock);
    return agents.computeIfAbsent(ctx.agentId(), k -> new AgentState(ctx, this::flushSoon));
  }

  /** Requests the HTTP layer turns away (malformed, too slow, too large a head, too many connections). */
  private void refuse(LoopExchange ex, int status, String message) throws IOException {
    String path = ex.path();
    Api dialect = Api.errorDialect(apiPath(path), ex.requestHeaders().has("anthropic-version"));
    Api api = Api.forPath(apiPath(path));
    if (status == 503) {
      ex.responseHeaders().set("retry-after", "1");
    }
    // A message that names its setting (the body budget's 503) needs no other.
    String hint = message.contains("(config gateway.") ? "" : switch (status) {
      case 408 -> ex.authenticated() || !message.contains("without the token") ? " (config gateway.readTimeoutMs)"
          : " (config gateway.headTimeoutMs)";
      case 413 -> " (config gateway.maxBodyBytes)";
      case 503 -> " (config gateway.maxConnections)";
      default -> "";
    };
    // The setting to change goes inside the server's sentence, before its full stop.
    String shown = hint.isEmpty() ? message : message.endsWith(".")
        ? message.substring(0, message.length() - 1) + hint + "." : message + hint;
    byte[] body = dialect.error(status, shown);
    ex.responseHeaders().set("content-type", "application/json");
    ex.sendHeaders(status, body.length);
    ex.responseBody().write(body);
    metrics.request(api, status);
    // Refusals of connections without the token are summarised by the server, one line per interval.
    if (status != 400 && !ex.summarised()) {
      log.println("gateway: " + status + " " + (path.isEmpty() ? "(no request line)" : ex.method() + " " + path)
          + " from " + ex.remoteAddress().getAddress().getHostAddress() + ": "
          + (status == 401 ? "missing or wrong gateway token" : message));
    }
  }

  private static final String MODELS_PREFIX = "/v1/models/";

  /**
   * The ids {@code GET /v1/models} lists on every wire, since each wire serves every model through
   * translation: the allowed models, the aliases' targets, the default model; not those whose
   * configured {@code api} the gateway does not proxy. A client key sees only the models it may use.
   */
  private static Set<String> modelIds(ClawConfig config, ClientKey key) {
    Set<String> ids = new LinkedHashSet<>(config.allowedModels());
    ids.addAll(config.aliases().values());
    ids.add(config.resolveModel(config.defaultModel(config.defaultAgentId())));
    ids.removeIf(id -> Upstreams.wire(config, ModelRef.resolve(id, true, config)).isEmpty()
        || (key != null && !key.allows(id)));
    return ids;
  }

  /** One model object, as the list holds it and {@code GET /v1/models/<id>} answers it. */
  private static ObjectNode model(String id, boolean anthropicShape) {
    ObjectNode m = Json.object();
    if (anthropicShape) {
      m.put("type", "model");
      m.put("id", id);
      m.put("display_name", id);
      m.put("created_at", "1970-01-01T00:00:00Z");
    } else {
      m.put("id", id);
      m.put("object", "model");
      m.put("created", 0);
      m.put("owned_by", ClawConfig.providerOf(id));
    }
    return m;
  }

  private static byte[] models(Set<String> ids, boolean anthropicShape) {
    ObjectNode root = Json.object();
    ArrayNode data = root.putArray("data");
    for (String id : ids) {
      data.add(model(id, anthropicShape));
    }
    if (anthropicShape) {
      root.put("has_more", false);
      root.put("first_id", ids.isEmpty() ? null : ids.iterator().next());
      root.put("last_id", ids.isEmpty() ? null : ids.toArray(new String[0])[ids.size() - 1]);
    } else {
      root.put("object", "list");
    }
    return JsonBytes.write(root);
  }
}
