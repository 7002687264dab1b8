package dev.clawauth.gateway;

import dev.clawauth.gateway.http.Admission;
import dev.clawauth.select.FailureReason;
import dev.clawauth.store.Credential;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The gateway's series, each declared once here (name, help, label names) and written by the
 * Prometheus client's text writer. Callers use the typed methods; the per-request ones reach
 * pre-bound data points through arrays and maps, so a request allocates nothing for its counts.
 */
public final class Metrics {
  /** The text format (0.0.4), as served on /metrics. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
  /** Response statuses kept in the pre-bound arrays; others (none today) are bound per call. */
  private static final int MIN_STATUS = 100;
  private static final int MAX_STATUS = 599;
  /** Paths that are none of the {@link Api}s. */
  private static final String OTHER_API = "other";

  // Its own registry: nothing else in the process (or a library's default registry) is exposed.
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private final Counter requests = Counter.builder()
      .name("clawauth_gateway_requests_total").help("Client requests by API and response status.")
      .labelNames("api", "status").withoutExemplars().register(registry);
  private final Counter upstreamRequests = Counter.builder()
      .name("clawauth_gateway_upstream_requests_total").help("Upstream calls by provider, profile and status.")
      .labelNames("provider", "profile", "status").withoutExemplars().register(registry);
  private final Summary upstreamLatency = Summary.builder()
      .name("clawauth_gateway_upstream_latency_seconds")
      .help("Time from sending an upstream call to its response headers (no quantiles: sum and count).")
      .labelNames("provider", "profile").withoutExemplars().register(registry);
  private final Counter unreachable = Counter.builder()
      .name("clawauth_gateway_upstream_unreachable_total")
      .help("Upstream endpoints that could not be reached, by provider.")
      .labelNames("provider").withoutExemplars().register(registry);
  private final Counter failovers = Counter.builder()
      .name("clawauth_gateway_failovers_total")
      .help("Requests moved to another credential: provider, the profile moved to, and the failure reason of the"
          + " one before.")
      .labelNames("provider", "profile", "reason").withoutExemplars().register(registry);
  private final Counter cooldowns = Counter.builder()
      .name("clawauth_gateway_cooldowns_total").help("Cooldowns or billing disables started, by reason.")
      .labelNames("provider", "profile", "reason").withoutExemplars().register(registry);
  private final Counter refreshes = Counter.builder()
      .name("clawauth_gateway_refreshes_total").help("OAuth refreshes by result.")
      .labelNames("provider", "profile", "result").withoutExemplars().register(registry);
  private final Counter clientDisconnects = Counter.builder()
      .name("clawauth_gateway_client_disconnects_total")
      .help("Clients that went away while their upstream call was in flight, by provider.")
      .labelNames("provider").withoutExemplars().register(registry);
  private final Counter streamErrors = Counter.builder()
      .name("clawauth_gateway_stream_errors_total").help("Upstream streams that broke mid-answer.")
      .labelNames("provider", "profile").withoutExemplars().register(registry);

  /** Per api: its label and the requests counter of each status, bound on first use. */
  private final Map<Api, RequestSeries> requestsByApi = new EnumMap<>(Api.class);
  private final RequestSeries requestsOther = new RequestSeries(OTHER_API);
  /** provider, then profile label: that pair's pre-bound upstream series. */
  private final Map<String, Map<String, Upstream>> upstreams = new ConcurrentHashMap<>();

  /** The server's admission counts, read when rendered; null until the server runs. */
  private volatile Admission<?> admission;

  Metrics() {
    for (Api a : Api.values()) {
      requestsByApi.put(a, new RequestSeries(a.name().toLowerCase(Locale.ROOT)));
    }
    CounterWithCallback.builder()
        .name("clawauth_gateway_unauthenticated_refused_total")
        .help("Connections without the gateway token turned away, by reason.")
        .labelNames("reason")
        .callback(cb -> {
          Admission<?> a = admission;
          if (a != null) {
            for (Admission.Reason r : Admission.Reason.values()) {
              cb.call((double) a.total(r), r.name().toLowerCase(Locale.ROOT));
            }
          }
        }).register(registry);
    GaugeWithCallback.builder()
        .name("clawauth_gateway_connections")
        .help("Open client connections, by whether they have shown the token.")
        .labelNames("state")
        .callback(cb -> {
          Admission<?> a = admission;
          if (a != null) {
            cb.call(a.authenticated(), "authenticated");
            cb.call(a.unauthenticated(), "unauthenticated");
          }
        }).register(registry);
  }

  /**
   * The per-profile gauges, computed at each scrape from the agents the gateway has open (each
   * one's store as requests see it). Profile ids and provider names only: never a credential.
   */
  void profiles(Supplier<Collection<AgentState>> agents) {
    GaugeWithCallback.builder()
        .name("clawauth_profile_expiry_seconds")
        .help("Seconds until an OAuth or token credential expires (negative: expired); absent for API keys"
            + " and tokens without an expiry.")
        .labelNames("agent", "profile", "provider")
        .callback(cb -> eachProfile(agents.get(), (agent, id, c, usage, now) -> {
          long expires = switch (c) {
            case Credential.OAuth o -> o.expires();
            case Credential.Token t -> t.expires();
            case Credential.ApiKey k -> 0;
          };
          if (expires > 0) {
            cb.call((expires - now) / 1000.0, agent, id, c.provider());
          }
        })).register(registry);
    GaugeWithCallback.builder()
        .name("clawauth_profile_cooldown_seconds")
        .help("Seconds of cooldown or billing disable left (0: usable).")
        .labelNames("agent", "profile", "provider")
        .callback(cb -> eachProfile(agents.get(), (agent, id, c, usage, now) ->
            cb.call(Math.max(0, usage.unusableUntil() - now) / 1000.0, agent, id, c.provider())))
        .register(registry);
  }

  /**
   * The per-key series, read at each scrape from the keys' counts (kept across restarts, so these
   * counters go on from where the last run stopped). Key names only: never a key.
   */
  void keys(Supplier<Map<String, dev.clawauth.gateway.keys.KeyUsage.Totals>> usage) {
    CounterWithCallback.builder()
        .name("clawauth_gateway_key_requests_total")
        .help("Requests per client key, by outcome (ok, or error: a status of 400 and above, or the client gone).")
        .labelNames("key", "outcome")
        .callback(cb -> usage.get().forEach((key, t) -> {
          cb.call((double) (t.requests() - t.errors()), key, "ok");
          cb.call((double) t.errors(), key, "error");
        })).register(registry);
    CounterWithCallback.builder()
        .name("clawauth_gateway_key_tokens_total")
        .help("Tokens per client key as the provider's usage reports them, by direction (in: prompt, out: completion).")
        .labelNames("key", "direction")
        .callback(cb -> usage.get().forEach((key, t) -> {
          cb.call((double) t.tokensIn(), key, "in");
          cb.call((double) t.tokensOut(), key, "out");
        })).register(registry);
  }

  private interface ProfileVisitor {
    void visit(String agent, String id, Credential c, UsageStats usage, long now);
  }

  private static void eachProfile(Collection<AgentState> agents, ProfileVisitor v) {
    for (AgentState a : agents) {
      StoreDocument doc;
      try {
        doc = a.doc();
      } catch (Exception unreadable) {
        // A store that cannot be read has no profiles to show; /healthz and /status say why.
        continue;
      }
      String agent = a.ctx().agentId();
      long now = a.ctx().clock().millis();
      doc.profiles().forEach((id, c) -> v.visit(agent, id, c, doc.usage(id), now));
    }
  }

  void admission(Admission<?> a) {
    admission = a;
  }

  /** Connections without the token turned away for {@code why} since the start (0 before the server runs). */
  long unauthenticated(Admission.Reason why) {
    Admission<?> a = admission;
    return a == null ? 0 : a.total(why);
  }

  /** A client request answered with {@code status}; {@code api} null for a path that is no API. */
  void request(Api api, int status) {
    RequestSeries series = api == null ? requestsOther : requestsByApi.get(api);
    bound(series.slots(), status, requests, series.label()).inc();
  }

  /** The counter of {@code status} from {@code slots}, bound to its labels on first use. */
  private static CounterDataPoint bound(AtomicReferenceArray<CounterDataPoint> slots, int status,
      Counter counter, String... labels) {
    if (status < MIN_STATUS || status > MAX_STATUS) {
      return counter.labelValues(withStatus(labels, status));
    }
    CounterDataPoint p = slots.get(status - MIN_STATUS);
    if (p == null) {
      // Two threads may both bind it: the client hands both the same data point.
      p = counter.labelValues(withStatus(labels, status));
      slots.set(status - MIN_STATUS, p);
    }
    return p;
  }

  /** The {@code api} label and its pre-bound requests counter per status. */
  private record RequestSeries(String label, AtomicReferenceArray<CounterDataPoint> slots) {
    RequestSeries(String label) {
      this(label, new AtomicReferenceArray<>(MAX_STATUS - MIN_STATUS + 1));
    }
  }

  private static String[] withStatus(String[] labels, int status) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + 1);
    all[labels.length] = Integer.toString(status);
    return all;
  }

  /** The pre-bound series of upstream calls with one provider and profile label. */
  Upstream upstream(String provider, String profile) {
    Map<String, Upstream> byProfile = upstreams.get(provider);
    if (byProfile == null) {
      byProfile = upstreams.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
    }
    Upstream u = byProfile.get(profile);
    if (u == null) {
      u = byProfile.computeIfAbsent(profile, p -> new Upstream(provider, p));
    }
    return u;
  }

  /** Upstream calls of one provider and profile label. */
  final class Upstream {
    private final String provider;
    private final String profile;
    private final DistributionDataPoint latency;
    private final AtomicReferenceArray<CounterDataPoint> byStatus =
        new AtomicReferenceArray<>(MAX_STATUS - MIN_STATUS + 1);

    private Upstream(String provider, String profile) {
      this.provider = provider;
      this.profile = profile;
      this.latency = upstreamLatency.labelValues(provider, profile);
    }

    /** Response headers with {@code status} arrived {@code nanos} after the call was sent. */
    void answered(int status, long nanos) {
      latency.observe(nanos / 1e9);
      bound(byStatus, status, upstreamRequests, provider, profile).inc();
    }

    void streamBroke() {
      streamErrors.labelValues(provider, profile).inc();
    }
  }

  void unreachable(String provider) {
    unreachable.labelValues(provider).inc();
  }

  /** A request moved on to {@code profile} after the credential before failed for {@code reason}. */
  void failover(String provider, String profile, FailureReason reason) {
    failovers.labelValues(provider, profile, reason == null ? "unknown" : reason.wire()).inc();
  }

  void cooldown(String provider, String profile, FailureReason reason) {
    cooldowns.labelValues(provider, profile, reason.wire()).inc();
  }

  /** {@code result}: ok, deferred, relogin or error. */
  void refresh(String provider, String profile, String result) {
    refreshes.labelValues(provider, profile, result).inc();
  }

  void clientDisconnect(String provider) {
    clientDisconnects.labelValues(provider).inc();
  }

  /** The exposition, as served on /metrics. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      TEXT.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The exposition text. */
  public String render() {
    return new String(scrape(), StandardCharsets.UTF_8);
  }
}
