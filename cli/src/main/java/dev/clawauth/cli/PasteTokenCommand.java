package dev.clawauth.cli;

import dev.clawauth.credentials.KeyShapes.CredentialKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "paste-token", description = {
    "Paste a token into auth-profiles.json and record it in the config.",
    "Reads the token from standard input when it is piped, else asks with a hidden prompt."})
public final class PasteTokenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;
  @Option(names = "--provider", required = true, paramLabel = "<id>", description = "Provider id (e.g. anthropic).")
  String provider;
  @Option(names = "--profile-id", paramLabel = "<id>", description = "Auth profile id (default: <provider>:manual).")
  String profileId;
  @Option(names = "--expires-in", paramLabel = "<duration>",
      description = "Optional expiry (e.g. 365d, 12h), stored as an absolute time.")
  String expiresIn;

  @Override
  public Integer call() throws Exception {
    var plan = CredentialPaste.plan(agent.open(), provider, CredentialKind.TOKEN, profileId, expiresIn,
        agent.agentId);
    CredentialPaste.run(plan, () -> SecretInput.read(CredentialPaste.promptFor(plan)), spec.commandLine().getOut());
    return 0;
  }
}
