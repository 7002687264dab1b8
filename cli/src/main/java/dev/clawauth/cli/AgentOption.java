package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.hints.FixCommands;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.Environment;
import java.io.IOException;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code --agent <id>}, for every command that works on one agent's credentials. */
public final class AgentOption {
  @Option(names = "--agent", paramLabel = "<id>",
      description = "Agent id (default: the config's default agent, else main).")
  String agentId;

  public AgentContext open() throws IOException, JsonFileException {
    return AgentContext.open(Environment.system(), agentId, Clock.systemUTC());
  }

  /** {@code " --agent <id>"} for a suggested command when {@code --agent} was given, else {@code ""}. */
  String flag(AgentContext ctx) {
    return FixCommands.agentFlag(ctx.agentId(), agentId == null);
  }
}
