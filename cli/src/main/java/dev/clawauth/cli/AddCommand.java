package dev.clawauth.cli;

import dev.clawauth.store.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "add", description = "Interactive helper: create a setup-token, or paste a token or an API key.")
public final class AddCommand implements Callable<Integer> {
  private static final List<String> COMMANDS = List.of("setup-token", "paste-token", "paste-api-key");

  @Mixin
  AgentOption agent;

  @Override
  public Integer call() throws Exception {
    if (!Tty.stdinIsTerminal()) {
      throw new CliException("models auth add is interactive and there is no terminal: pipe the secret into"
          + " `clawauth models auth paste-token --provider <id>` or `paste-api-key --provider <id>` instead.");
    }
    int choice;
    String provider;
    try (Prompts p = Prompts.open()) {
      choice = p.select("What do you want to add?", List.of(
          "Anthropic setup-token (runs `claude setup-token` when it is installed)",
          "Paste a token", "Paste an API key"), 0);
      provider = choice == 0 ? "anthropic" : Providers.normalize(p.line("Provider id", "anthropic"));
    }
    List<String> args = new ArrayList<>(List.of("models", "auth", COMMANDS.get(choice), "--provider", provider));
    if (agent.agentId != null) {
      args.addAll(List.of("--agent", agent.agentId));
    }
    return Main.run(args.toArray(String[]::new));
  }
}
