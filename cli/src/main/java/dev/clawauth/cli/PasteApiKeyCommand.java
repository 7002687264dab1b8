package dev.clawauth.cli;

import dev.clawauth.credentials.KeyShapes.CredentialKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "paste-api-key", description = {
    "Paste an API key into auth-profiles.json and record it in the config.",
    "Reads the key from standard input when it is piped, else asks with a hidden prompt."})
public final class PasteApiKeyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;
  @Option(names = "--provider", required = true, paramLabel = "<id>", description = "Provider id (e.g. openrouter).")
  String provider;
  @Option(names = "--profile-id", paramLabel = "<id>", description = "Auth profile id (default: <provider>:default).")
  String profileId;

  @Override
  public Integer call() throws Exception {
    var plan = CredentialPaste.plan(agent.open(), provider, CredentialKind.API_KEY, profileId, null,
        agent.agentId);
    CredentialPaste.run(plan, () -> SecretInput.read(CredentialPaste.promptFor(plan)), spec.commandLine().getOut());
    return 0;
  }
}
