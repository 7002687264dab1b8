package dev.clawauth.gateway;

import dev.clawauth.gateway.http.Admission;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters in the Prometheus text format, written by hand (a handful of series, no dependency). */
public final class Metrics {
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, String> help = new ConcurrentHashMap<>();
  /** The server's admission counts, read when rendered; null until the server runs. */
  private volatile Admission<?> admission;

  Metrics() {
    help.put("clawauth_gateway_requests_total", "Client requests by API and response status.");
    help.put("clawauth_gateway_upstream_requests_total", "Upstream calls by provider, profile and status.");
    help.put("clawauth_gateway_upstream_latency_seconds_sum", "Time to upstream response headers, summed.");
    help.put("clawauth_gateway_upstream_latency_seconds_count", "Upstream calls timed.");
    help.put("clawauth_gateway_upstream_unreachable_total", "Upstream endpoints that could not be reached, by provider.");
    help.put("clawauth_gateway_failovers_total", "Requests moved to another profile, by failure reason.");
    help.put("clawauth_gateway_cooldowns_total", "Cooldowns or billing disables started.");
    help.put("clawauth_gateway_refreshes_total", "OAuth refreshes by result.");
  }

  void admission(Admission<?> a) {
    admission = a;
  }

  /** Connections without the token turned away for {@code why} since the start (0 before the server runs). */
  long unauthenticated(Admission.Reason why) {
    Admission<?> a = admission;
    return a == null ? 0 : a.total(why);
  }

  void inc(String name, String... labels) {
    add(name, 1, labels);
  }

  void add(String name, long v, String... labels) {
    counters.computeIfAbsent(key(name, labels), k -> new LongAdder()).add(v);
  }

  void latency(String provider, String profile, long nanos) {
    add("clawauth_gateway_upstream_latency_seconds_sum_ns", nanos, "provider", provider, "profile", profile);
    inc("clawauth_gateway_upstream_latency_seconds_count", "provider", provider, "profile", profile);
  }

  long get(String name, String... labels) {
    LongAdder a = counters.get(key(name, labels));
    return a == null ? 0 : a.sum();
  }

  private static String key(String name, String... labels) {
    StringBuilder sb = new StringBuilder(name);
    if (labels.length > 0) {
      sb.append('{');
      for (int i = 0; i + 1 < labels.length; i += 2) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
      }
      sb.append('}');
    }
    return sb.toString();
  }

  private static String escape(String v) {
    return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** The exposition text. */
  public String render() {
    Map<String, Long> sorted = new TreeMap<>();
    counters.forEach((k, v) -> sorted.put(k, v.sum()));
    StringBuilder sb = new StringBuilder();
    String lastName = null;
    for (var e : sorted.entrySet()) {
      String k = e.getKey();
      int brace = k.indexOf('{');
      String name = brace < 0 ? k : k.substring(0, brace);
      String value = Long.toString(e.getValue());
      if (name.endsWith("_sum_ns")) {
        name = name.substring(0, name.length() - 3);
        k = name + (brace < 0 ? "" : e.getKey().substring(brace));
        value = Double.toString(e.getValue() / 1e9);
      }
      if (!name.equals(lastName)) {
        String base = name.replaceAll("_(sum|count)$", "");
        if (name.endsWith("_sum") || name.endsWith("_count")) {
          if (lastName == null || !lastName.startsWith(base)) {
            sb.append("# TYPE ").append(base).append(" summary\n");
          }
        } else {
          sb.append("# HELP ").append(name).append(' ').append(help.getOrDefault(name, name)).append('\n');
          sb.append("# TYPE ").append(name).append(" counter\n");
        }
        lastName = name;
      }
      sb.append(k).append(' ').append(value).append('\n');
    }
    Admission<?> a = admission;
    if (a != null) {
      String refused = "clawauth_gateway_unauthenticated_refused_total";
      sb.append("# HELP ").append(refused)
          .append(" Connections without the gateway token turned away, by reason.\n# TYPE ").append(refused)
          .append(" counter\n");
      for (Admission.Reason r : Admission.Reason.values()) {
        sb.append(refused).append("{reason=\"").append(r.name().toLowerCase(Locale.ROOT)).append("\"} ")
            .append(a.total(r)).append('\n');
      }
      String open = "clawauth_gateway_connections";
      sb.append("# HELP ").append(open).append(" Open client connections, by whether they have shown the token.\n")
          .append("# TYPE ").append(open).append(" gauge\n")
          .append(open).append("{state=\"authenticated\"} ").append(a.authenticated()).append('\n')
          .append(open).append("{state=\"unauthenticated\"} ").append(a.unauthenticated()).append('\n');
    }
    return sb.toString();
  }
}
