package dev.clawauth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.AgentContext;
import dev.clawauth.hints.Durations;
import dev.clawauth.hints.FixCommands;
import java.util.ArrayList;
import java.util.List;

/** The human view of the status document, laid out as the 2026.1 CLI did, plus the fixes. */
final class StatusText {
  private StatusText() {}

  static String render(JsonNode r, AgentContext ctx) {
    StringBuilder b = new StringBuilder();
    JsonNode auth = r.path("auth");
    row(b, "Config", r.path("configPath").asText() + (ctx.config().exists() ? "" : " (not created yet)"));
    row(b, "Agent", r.path("agentId").asText());
    row(b, "Agent dir", r.path("agentDir").asText());
    String def = r.path("defaultModel").asText();
    String resolved = r.path("resolvedDefault").asText();
    row(b, "Default", def.equals(resolved) ? def : def + " -> " + resolved);
    row(b, "Fallbacks (" + r.path("fallbacks").size() + ")", list(r.path("fallbacks")));
    row(b, "Image model", r.path("imageModel").isNull() ? "-" : r.path("imageModel").asText());
    row(b, "Image fallbacks (" + r.path("imageFallbacks").size() + ")", list(r.path("imageFallbacks")));
    List<String> aliases = new ArrayList<>();
    r.path("aliases").properties().forEach(e -> aliases.add(e.getKey() + " -> " + e.getValue().asText()));
    row(b, "Aliases (" + aliases.size() + ")", aliases.isEmpty() ? "-" : String.join(", ", aliases));
    int allowed = r.path("allowed").size();
    row(b, "Configured models (" + allowed + ")", allowed == 0 ? "all" : list(r.path("allowed")));

    b.append("\nAuth overview\n");
    row(b, "Auth store", auth.path("storePath").asText()
        + switch (auth.path("storeKind").asText()) {
          case "sqlite" -> " (SQLite, OpenClaw 2026.9)";
          case "postgres" -> " (PostgreSQL, shared by gateway hosts)";
          default -> "";
        });
    JsonNode shell = auth.path("shellEnvFallback");
    row(b, "Shell env", shell.path("enabled").asBoolean()
        ? "on" + (shell.path("appliedKeys").isEmpty() ? "" : " (imported: " + list(shell.path("appliedKeys")) + ")")
        : "off");
    JsonNode with = auth.path("providersWithOAuth");
    row(b, "Providers w/ OAuth/tokens (" + with.size() + ")", list(with));
    for (JsonNode p : auth.path("providers")) {
      JsonNode eff = p.path("effective");
      JsonNode counts = p.path("profiles");
      b.append("- ").append(p.path("provider").asText()).append(" effective=")
          .append(eff.path("kind").asText()).append(':').append(eff.path("detail").asText());
      if (counts.path("count").asInt() > 0) {
        b.append(" | profiles=").append(counts.path("count").asInt())
            .append(" (oauth=").append(counts.path("oauth").asInt())
            .append(", token=").append(counts.path("token").asInt())
            .append(", api_key=").append(counts.path("apiKey").asInt()).append(") | ")
            .append(list(counts.path("labels")));
      }
      if (p.has("env")) {
        b.append(" | env=").append(p.path("env").path("value").asText())
            .append(" | source=").append(p.path("env").path("source").asText());
      }
      if (p.has("modelsJson")) {
        b.append(" | models.json=").append(p.path("modelsJson").path("value").asText())
            .append(" | source=").append(p.path("modelsJson").path("source").asText());
      }
      b.append('\n');
    }

    JsonNode missing = auth.path("missingProvidersInUse");
    if (!missing.isEmpty()) {
      b.append("\nMissing auth\n");
      for (JsonNode m : missing) {
        b.append("- ").append(m.asText()).append(": ")
            .append(FixCommands.forMissing(m.asText(), ctx.agentId())).append('\n');
      }
    }

    JsonNode unusable = auth.path("unusableProfiles");
    if (!unusable.isEmpty()) {
      b.append("\nCooling down / disabled\n");
      for (JsonNode u : unusable) {
        b.append("- ").append(u.path("profileId").asText()).append(' ')
            .append(u.path("kind").asText())
            .append(u.has("reason") ? ":" + u.path("reason").asText() : "")
            .append(" for ").append(Durations.remaining(u.path("remainingMs").asLong()))
            .append(u.has("fix") ? " (token refused: " + u.path("fix").asText() + ")\n" : " (ends by itself)\n");
      }
    }

    b.append("\nOAuth/token status\n");
    boolean any = false;
    for (JsonNode p : auth.path("oauth").path("providers")) {
      List<JsonNode> timed = new ArrayList<>();
      p.path("profiles").forEach(h -> {
        if (!h.path("type").asText().equals("api_key")) {
          timed.add(h);
        }
      });
      if (timed.isEmpty()) {
        continue;
      }
      any = true;
      b.append("- ").append(p.path("provider").asText()).append('\n');
      for (JsonNode h : timed) {
        b.append("  - ").append(h.path("label").asText()).append(' ').append(h.path("status").asText());
        if (h.has("remainingMs")) {
          long left = h.path("remainingMs").asLong();
          b.append(left > 0 ? " expires in " + Durations.remaining(left)
              : " expired " + Durations.remaining(-left) + " ago");
        }
        if (h.path("renews").asBoolean(false) && !h.path("status").asText().equals("ok")) {
          b.append(" (renews itself on use)");
        }
        if (h.path("rejected").asBoolean(false)) {
          b.append(" REFUSED (401): ").append(h.path("fix").asText());
        }
        if (h.path("needsRelogin").asBoolean(false)) {
          b.append(" NEEDS LOGIN: run `").append(h.path("fix").asText()).append('`');
        }
        if (!h.path("source").asText().equals("store")) {
          b.append(" [").append(h.path("source").asText()).append(']');
        }
        b.append('\n');
      }
    }
    if (!any) {
      b.append("- none\n");
    }

    if (auth.has("probes")) {
      probes(b, auth.path("probes"));
    }

    JsonNode check = auth.path("check");
    JsonNode problems = check.path("problems");
    if (!problems.isEmpty()) {
      b.append("\nCheck: ").append(check.path("exitCode").asInt() == 1 ? "FAIL" : "WARN").append('\n');
      for (JsonNode pr : problems) {
        b.append("- ").append(pr.path("provider").asText());
        if (pr.has("profileId")) {
          b.append(' ').append(pr.path("profileId").asText());
        }
        b.append(": ").append(pr.path("message").asText()).append(". Fix: ")
            .append(pr.path("fix").asText()).append('\n');
      }
    }
    return b.toString();
  }

  private static void probes(StringBuilder b, JsonNode probes) {
    JsonNode sum = probes.path("summary");
    b.append("\nAuth probes (timeout ").append(probes.path("timeoutMs").asLong()).append(" ms): ")
        .append(sum.path("ok").asInt()).append(" ok, ").append(sum.path("failed").asInt())
        .append(" failed, ").append(sum.path("notProbed").asInt()).append(" not probed\n");
    if (probes.path("results").isEmpty()) {
      b.append("- no credential to probe\n");
    }
    for (JsonNode r : probes.path("results")) {
      String name = r.path("profileId").isNull() ? r.path("source").asText() : r.path("profileId").asText();
      b.append("- ").append(name).append(" (").append(r.path("provider").asText()).append(", ")
          .append(r.path("kind").asText()).append(' ').append(r.path("credential").asText()).append("): ");
      String status = r.path("status").asText();
      b.append(switch (status) {
        case "ok" -> "ok";
        case "auth" -> "auth error";
        case "rate_limit" -> "rate limited";
        case "billing" -> "billing problem";
        case "timeout" -> "timed out";
        case "network" -> "network error";
        case "format" -> "request refused";
        case "skipped", "unsupported" -> "not probed";
        default -> "error";
      });
      if (!status.equals("ok")) {
        b.append(" (").append(r.path("detail").asText()).append(')');
      }
      if (!status.equals("skipped") && !status.equals("unsupported")) {
        b.append(", ").append(r.path("latencyMs").asLong()).append(" ms");
      }
      if (r.has("fix")) {
        b.append(". Fix: ").append(r.path("fix").asText());
      }
      b.append('\n');
    }
  }

  private static void row(StringBuilder b, String label, String value) {
    b.append(String.format("%-14s: %s%n", label, value));
  }

  private static String list(JsonNode array) {
    if (array.isEmpty()) {
      return "-";
    }
    List<String> items = new ArrayList<>();
    array.forEach(n -> items.add(n.asText()));
    return String.join(", ", items);
  }
}
