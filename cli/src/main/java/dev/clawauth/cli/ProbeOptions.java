package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.probe.CredentialProber;
import dev.clawauth.probe.ProbeReport;
import dev.clawauth.probe.ProbeResult;
import dev.clawauth.probe.ProbeTarget;
import dev.clawauth.probe.ProbeTargets;
import dev.clawauth.store.StoreDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --probe*} options of {@code models status}, named as the 2026.1 CLI named them. */
public final class ProbeOptions {
  @Option(names = "--probe", description = "Probe every credential live: one cheap authenticated request each.")
  boolean probe;

  @Option(names = "--probe-provider", paramLabel = "<name>", description = "Only probe this provider.")
  String provider;

  @Option(names = "--probe-profile", paramLabel = "<id>", split = ",",
      description = "Only probe these profile ids (repeat or comma-separated); env credentials are skipped.")
  List<String> profiles = new ArrayList<>();

  @Option(names = "--probe-timeout", paramLabel = "<ms>",
      description = "Per-probe timeout in ms (default: 8000).")
  Long timeoutMs;

  @Option(names = "--probe-concurrency", paramLabel = "<n>",
      description = "Probes run at once (default: 4).")
  Integer concurrency;

  @Option(names = "--probe-max-tokens", paramLabel = "<n>", hidden = true,
      description = "Accepted for 2026.1 scripts; probes list models and spend no tokens.")
  Integer maxTokens;

  /** Probe settings without --probe would silently do nothing: say so instead. */
  void validate() {
    boolean tuned = provider != null || !profiles.isEmpty() || timeoutMs != null || concurrency != null
        || maxTokens != null;
    if (tuned && !probe) {
      throw new CliException("--probe-provider, --probe-profile, --probe-timeout and --probe-concurrency"
          + " only apply with --probe; add --probe to run the probes.");
    }
    if (timeoutMs != null && timeoutMs <= 0) {
      throw new CliException("--probe-timeout must be a positive number of milliseconds.");
    }
    if (concurrency != null && concurrency < 1) {
      throw new CliException("--probe-concurrency must be at least 1.");
    }
  }

  ObjectNode run(AgentContext ctx) throws Exception {
    StoreDocument doc = ctx.store().read();
    List<String> wanted = profiles.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String id : wanted) {
      if (doc.profile(id).isEmpty()) {
        throw new CliException("Auth profile \"" + id + "\" not found in " + ctx.agentDir()
            + ". See `clawauth models status" + FixCommands.agentFlag(ctx.agentId())
            + "` for the profile ids.");
      }
    }
    List<ProbeTarget> targets = ProbeTargets.collect(doc, ctx.env(), ctx.clock().millis(), provider, wanted,
        ctx.era().kind());
    Duration timeout = timeoutMs == null ? CredentialProber.DEFAULT_TIMEOUT : Duration.ofMillis(timeoutMs);
    int n = concurrency == null ? CredentialProber.DEFAULT_CONCURRENCY : concurrency;
    try (CredentialProber prober = new CredentialProber(ctx.config(), timeout, n)) {
      List<ProbeResult> results = prober.probe(targets);
      return ProbeReport.toJson(results, timeout, n, ctx.agentId());
    }
  }
}
