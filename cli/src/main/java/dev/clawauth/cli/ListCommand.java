package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.hints.Durations;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.Secret;
import dev.clawauth.store.StoreDocument;
import dev.clawauth.store.UsageStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "List the agent's auth profiles: id, provider, type, masked secret, expiry, state.")
public final class ListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;
  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  /** One row; secrets are masked before they get here. */
  record Row(String id, String provider, String type, String secret, long expires, String expiry,
      String state, UsageStats usage) {}

  @Override
  public Integer call() throws Exception {
    AgentContext ctx = agent.open();
    StoreDocument doc = ctx.store().read();
    long now = ctx.clock().millis();
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Credential> e : doc.profiles().entrySet()) {
      rows.add(row(e.getKey(), e.getValue(), doc.usage(e.getKey()), now));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = Json.object();
      n.put("agentId", ctx.agentId());
      n.put("storePath", ctx.store().location());
      ArrayNode arr = n.putArray("profiles");
      for (Row r : rows) {
        ObjectNode o = arr.addObject();
        o.put("id", r.id());
        o.put("provider", r.provider());
        o.put("type", r.type());
        o.put("secret", r.secret());
        if (r.expires() > 0) {
          o.put("expires", r.expires());
          o.put("remainingMs", r.expires() - now);
        } else {
          o.putNull("expires");
        }
        o.put("state", r.state());
        if (r.usage().cooldownUntil() > now) {
          o.put("cooldownUntil", r.usage().cooldownUntil());
        }
        if (r.usage().disabledUntil() > now) {
          o.put("disabledUntil", r.usage().disabledUntil());
          o.put("disabledReason", r.usage().disabledReason());
        }
      }
      ArrayNode unreadable = n.putArray("unreadableProfileIds");
      doc.unreadableProfileIds().forEach(unreadable::add);
      out.print(JsonText.pretty(n));
    } else {
      out.println("Agent: " + ctx.agentId());
      out.println("Auth file: " + ctx.store().location());
      if (rows.isEmpty()) {
        out.println("No auth profiles. Add one with `clawauth models auth paste-token --provider anthropic"
            + agent.flag(ctx) + "` or `clawauth onboard`.");
      } else {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"ID", "PROVIDER", "TYPE", "SECRET", "EXPIRES", "STATE"});
        rows.forEach(r -> table.add(new String[] {r.id(), r.provider(), r.type(), r.secret(), r.expiry(), r.state()}));
        int[] w = new int[6];
        table.forEach(t -> {
          for (int i = 0; i < 6; i++) {
            w[i] = Math.max(w[i], t[i].length());
          }
        });
        for (String[] t : table) {
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < 6; i++) {
            b.append(i == 5 ? t[i] : String.format("%-" + (w[i] + 2) + "s", t[i]));
          }
          out.println(b.toString().stripTrailing());
        }
      }
      for (String id : doc.unreadableProfileIds()) {
        out.println("(kept, not readable by this version: " + id + ")");
      }
    }
    out.flush();
    return 0;
  }

  static Row row(String id, Credential c, UsageStats u, long now) {
    Secret secret = switch (c) {
      case Credential.ApiKey k -> k.key();
      case Credential.Token t -> t.token();
      case Credential.OAuth o -> o.access();
    };
    long expires = switch (c) {
      case Credential.ApiKey k -> 0;
      case Credential.Token t -> t.expires();
      case Credential.OAuth o -> o.expires();
    };
    String expiry = expires <= 0 ? (c instanceof Credential.ApiKey ? "-" : "never")
        : expires > now ? "in " + Durations.remaining(expires - now) : "expired " + Durations.remaining(now - expires) + " ago";
    String state;
    if (c instanceof Credential.OAuth o && o.needsRelogin()) {
      state = "needs login";
    } else if (u.disabledUntil() > now) {
      state = "disabled:" + (u.disabledReason() == null ? "unknown" : u.disabledReason()) + " "
          + Durations.remaining(u.disabledUntil() - now);
    } else if (u.cooldownUntil() > now) {
      state = "cooldown " + Durations.remaining(u.cooldownUntil() - now);
    } else if (expires > 0 && expires <= now) {
      state = c instanceof Credential.OAuth o && o.canRefresh() ? "expired (renews on use)" : "expired";
    } else {
      state = "ok";
    }
    return new Row(id, Providers.normalize(c.provider()), c.type(), secret.masked(), expires, expiry, state, u);
  }
}
