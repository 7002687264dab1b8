package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonText;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import dev.clawauth.store.StoreDocument;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code channels}: kept because the documents send users to {@code channels list --json} to find
 * profile ids. Clawauth has no chat channels, so only the auth part carries anything.
 */
@Command(name = "channels", description = "Chat channels (none in Clawauth) and the auth profiles, as 2026.1 listed them.")
public final class ChannelsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", description = {
      "List chat channels (none here) and auth profiles; `clawauth models auth list` shows more per profile.",
      "--json prints the 2026.1 shape: {chat: {}, auth: [{id, provider, type, isExternal}], usage}."})
  public static final class ListChannels implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    AgentOption agent;
    @Option(names = "--json", description = "Print as JSON.")
    boolean json;
    @Option(names = "--no-usage", description = "Leave out the usage snapshot.")
    boolean noUsage;

    @Override
    public Integer call() throws Exception {
      AgentContext ctx = agent.open();
      StoreDocument doc = ctx.store().read();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode n = Json.object();
        n.putObject("chat");
        ArrayNode auth = n.putArray("auth");
        for (Map.Entry<String, Credential> e : doc.profiles().entrySet()) {
          ObjectNode o = auth.addObject();
          o.put("id", e.getKey());
          o.put("provider", Providers.normalize(e.getValue().provider()));
          o.put("type", e.getValue().type());
          o.put("isExternal", false);
        }
        if (!noUsage) {
          // 2026.1 asked each provider's usage API here; Clawauth calls no provider to list ids.
          ObjectNode usage = n.putObject("usage");
          usage.put("updatedAt", ctx.clock().millis());
          usage.putArray("providers");
        }
        out.print(JsonText.pretty(n));
      } else {
        out.println("Chat channels: none (Clawauth has no chat channels)");
        out.println();
        out.println("Auth providers (OAuth + API keys):");
        if (doc.profiles().isEmpty()) {
          out.println("- none");
        }
        doc.profiles().forEach((id, c) -> out.println("- " + id + " (" + c.type() + ")"));
      }
      out.flush();
      return 0;
    }
  }
}
