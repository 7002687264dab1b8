package dev.clawauth.cli;

import dev.clawauth.credentials.KeyShapes.CredentialKind;
import dev.clawauth.onboard.AuthChoice;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "paste-token", description = {
    "Paste a token into auth-profiles.json and record it in the config.",
    "Reads the token from standard input when it is piped, else asks with a hidden prompt.",
    "A provider that issues only API keys (openrouter, openai, ...) gets an api_key profile."})
public final class PasteTokenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;
  @Option(names = "--provider", required = true, paramLabel = "<id>", description = "Provider id (e.g. anthropic).")
  String provider;
  @Option(names = "--profile-id", paramLabel = "<id>", description = "Auth profile id (default: <provider>:manual; <provider>:default for an API key).")
  String profileId;
  @Option(names = "--expires-in", paramLabel = "<duration>",
      description = "Optional expiry (e.g. 365d, 12h), stored as an absolute time.")
  String expiresIn;

  @Override
  public Integer call() throws Exception {
    // The documents paste OpenRouter's key with paste-token: a provider that issues only API keys
    // gets an api_key profile (a token profile of it would be sent the wrong way).
    boolean apiKey = AuthChoice.apiKeyOnly(provider);
    var plan = CredentialPaste.plan(agent.open(), provider, apiKey ? CredentialKind.API_KEY : CredentialKind.TOKEN,
        profileId, expiresIn, agent.agentId);
    var saved = CredentialPaste.run(plan, () -> SecretInput.read(CredentialPaste.promptFor(plan)),
        spec.commandLine().getOut());
    if (apiKey) {
      var err = spec.commandLine().getErr();
      err.println(plan.provider() + " takes API keys; stored as an api_key profile " + saved.profileId());
      err.flush();
    }
    return 0;
  }
}
