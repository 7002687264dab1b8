package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.credentials.KeyShapes.CredentialKind;
import dev.clawauth.onboard.AuthChoice;
import dev.clawauth.store.CodexIds;
import dev.clawauth.store.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The interactive side of {@code onboard}: pick a method, enter the secret hidden, pick the model. */
final class OnboardWizard {
  private static final int ATTEMPTS = 3;
  private static final List<AuthChoice> MENU = List.of(AuthChoice.API_KEY, AuthChoice.SETUP_TOKEN,
      AuthChoice.OPENAI_CODEX, AuthChoice.OPENROUTER_API_KEY, AuthChoice.OPENAI_API_KEY,
      AuthChoice.GEMINI_API_KEY, AuthChoice.TOKEN, AuthChoice.SKIP);

  private final OnboardCommand cmd;
  private final AgentContext ctx;
  private final Prompts p;

  OnboardWizard(OnboardCommand cmd, AgentContext ctx, Prompts p) {
    this.cmd = cmd;
    this.ctx = ctx;
    this.p = p;
  }

  void run(AuthChoice given, Map<AuthChoice, String> keys) throws Exception {
    p.println("Clawauth onboarding for agent " + ctx.agentId() + " (" + ctx.agentDir() + ")");
    AuthChoice c = given;
    if (c == null) {
      List<String> labels = new ArrayList<>();
      for (AuthChoice m : MENU) {
        labels.add(m == AuthChoice.TOKEN ? "API key or token for another provider" : m.label());
      }
      c = MENU.get(p.select("How should this agent authenticate?", labels, 0));
    }
    p.println("Auth method: " + c.label());
    String provider = c.provider();
    String suggestedModel = c.defaultModel();
    switch (c.method()) {
      case API_KEY -> {
        String key = keys.containsKey(c) ? keys.get(c) : askSecret(provider, CredentialKind.API_KEY);
        cmd.storeCredential(ctx, c, provider, CredentialKind.API_KEY, key.strip(), cmd.profileId, null, p);
      }
      case TOKEN -> {
        CredentialKind kind = CredentialKind.TOKEN;
        if (c == AuthChoice.TOKEN) {
          provider = Providers.normalize(cmd.tokenProvider != null ? cmd.tokenProvider : p.line("Provider id (e.g. groq, xai, mistral)", null));
          if (provider.isEmpty()) {
            throw new CliException("A provider id is required; nothing was changed.");
          }
          int kindIx = p.select("What do you have for " + provider + "?", List.of("API key", "Token"), 0);
          kind = kindIx == 0 ? CredentialKind.API_KEY : CredentialKind.TOKEN;
          suggestedModel = AuthChoice.defaultModelFor(provider).orElse(null);
        }
        String secret;
        if (cmd.token != null) {
          secret = cmd.token;
        } else if (c == AuthChoice.SETUP_TOKEN) {
          secret = setupToken();
        } else {
          secret = askSecret(provider, kind);
        }
        String id = c == AuthChoice.TOKEN && kind == CredentialKind.API_KEY ? cmd.profileId : cmd.tokenProfileId;
        cmd.storeCredential(ctx, c, provider, kind, secret.strip(), id,
            kind == CredentialKind.TOKEN ? cmd.tokenExpiresIn : null, p);
      }
      case OAUTH -> {
        String login = "clawauth models auth login --provider openai-codex" + cmd.agentSuffix(ctx);
        p.println("Starting `" + login + "`.");
        List<String> args = new ArrayList<>(List.of("models", "auth", "login", "--provider", "openai-codex"));
        if (cmd.agent.agentId != null) {
          args.addAll(List.of("--agent", ctx.agentId()));
        }
        int code = Main.run(args.toArray(String[]::new));
        if (code != 0) {
          throw new CliException("The OpenAI Codex login did not finish (exit " + code + "); nothing else was changed.");
        }
        // The login stored it under the era's Codex id (openai on OpenClaw 2026.9): suggest that model.
        provider = CodexIds.stored(ctx.era().kind());
        suggestedModel = CodexIds.defaultModel(ctx.era().kind());
      }
      case NONE -> {
        p.println("No credential stored.");
        suggestedModel = null;
      }
    }
    chooseModel(provider, suggestedModel);
  }

  private String askSecret(String provider, CredentialKind kind) {
    String what = kind == CredentialKind.TOKEN ? "token" : "API key";
    for (int i = 1; ; i++) {
      String s = p.secret("Paste " + what + " for " + provider + " (input hidden): ").strip();
      Optional<String> problem = OnboardCommand.shapeProblem(provider, kind, s, cmd.agentSuffix(ctx));
      if (problem.isEmpty()) {
        return s;
      }
      if (i == ATTEMPTS) {
        throw new CliException(problem.get());
      }
      p.println(problem.get() + " Try again (" + (ATTEMPTS - i) + " left).");
    }
  }

  private String setupToken() throws Exception {
    if (SetupTokenCommand.onPath("claude").isPresent()
        && p.confirm("Run `claude setup-token` now to create a token?", true)) {
      Optional<String> t = SetupTokenCommand.fromClaude(cmd.out());
      if (t.isPresent()) {
        return t.get();
      }
    } else {
      p.println("Create a token with `claude setup-token` (Claude Code) on any machine, then paste it here.");
    }
    return askSecret("anthropic", CredentialKind.TOKEN);
  }

  private void chooseModel(String provider, String suggested) throws Exception {
    if (cmd.modelOption() != null) {
      cmd.applyModel(ctx, provider, suggested);
      return;
    }
    String current = OnboardCommand.primaryConfigured(ClawConfig.load(ctx.paths().configPath()));
    List<String> options = new ArrayList<>();
    List<String> values = new ArrayList<>();
    if (suggested != null && !suggested.equals(current)) {
      options.add("Use " + suggested);
      values.add(suggested);
    }
    options.add(current != null ? "Keep " + current : "Keep the built-in default (" + ClawConfig.DEFAULT_MODEL + ")");
    values.add(current);
    options.add("Enter another model id");
    values.add("?");
    int ix = p.select("Default model for your agents?", options, 0);
    String pick = values.get(ix);
    if ("?".equals(pick)) {
      pick = p.line("Model id (provider/model)", suggested);
    }
    if (pick != null && !pick.equals(current)) {
      cmd.setModel(ctx, pick);
    } else {
      cmd.out().println("Default model: " + (current != null ? current : ClawConfig.DEFAULT_MODEL) + " (unchanged)");
    }
  }
}
