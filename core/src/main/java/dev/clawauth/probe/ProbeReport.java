package dev.clawauth.probe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.Json;
import java.time.Duration;
import java.util.List;

/**
 * {@code auth.probes} of {@code models status --json --probe}:
 * {@code {timeoutMs, concurrency, summary{ok, failed, notProbed}, results[{provider, profileId,
 * source, kind, credential, status, httpStatus, latencyMs, endpoint, detail, fix?}]}}.
 * Credentials appear masked only.
 */
public final class ProbeReport {
  private ProbeReport() {}

  public static ObjectNode toJson(List<ProbeResult> results, Duration timeout, int concurrency,
      String agentId) {
    ObjectNode root = Json.object();
    root.put("timeoutMs", timeout.toMillis());
    root.put("concurrency", concurrency);
    ObjectNode summary = root.putObject("summary");
    summary.put("ok", results.stream().filter(r -> r.status() == ProbeStatus.OK).count());
    summary.put("failed", results.stream().filter(r -> failed(r.status())).count());
    summary.put("notProbed", results.stream().filter(r -> !failed(r.status()) && r.status() != ProbeStatus.OK).count());
    ArrayNode list = root.putArray("results");
    for (ProbeResult r : results) {
      ProbeTarget t = r.target();
      ObjectNode n = list.addObject();
      n.put("provider", t.provider());
      if (t.profileId() != null) {
        n.put("profileId", t.profileId());
      } else {
        n.putNull("profileId");
      }
      n.put("source", t.source());
      n.put("kind", t.kind());
      n.put("credential", t.secret().masked());
      n.put("status", r.status().wire());
      if (r.httpStatus() > 0) {
        n.put("httpStatus", r.httpStatus());
      } else {
        n.putNull("httpStatus");
      }
      n.put("latencyMs", r.latencyMs());
      if (r.endpoint() != null) {
        n.put("endpoint", r.endpoint());
      }
      n.put("detail", r.detail());
      if (r.status() == ProbeStatus.AUTH) {
        n.put("fix", fixForAuth(t, agentId));
      }
    }
    return root;
  }

  /** Statuses that say the credential (or the way to it) does not work right now. */
  public static boolean failed(ProbeStatus s) {
    return s != ProbeStatus.OK && s != ProbeStatus.SKIPPED && s != ProbeStatus.UNSUPPORTED;
  }

  static String fixForAuth(ProbeTarget t, String agentId) {
    String agent = FixCommands.agentFlag(agentId);
    if (t.profileId() == null) {
      return "Replace the credential behind `" + t.source() + "` with a working one.";
    }
    return switch (t.kind()) {
      case "oauth" -> FixCommands.forRelogin(t.provider(), t.profileId(), agentId);
      case "token" -> "clawauth models auth paste-token --provider " + t.provider() + " --profile-id "
          + t.profileId() + agent;
      default -> "clawauth models auth paste-api-key --provider " + t.provider() + " --profile-id "
          + t.profileId() + agent;
    };
  }
}
