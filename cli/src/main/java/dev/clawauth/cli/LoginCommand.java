package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.hints.Durations;
import dev.clawauth.oauth.LoginException;
import dev.clawauth.oauth.LoginOptions;
import dev.clawauth.oauth.LoginProvider;
import dev.clawauth.oauth.LoginProviders;
import dev.clawauth.oauth.LoginResult;
import dev.clawauth.oauth.LoginSession;
import dev.clawauth.oauth.LoginStore;
import dev.clawauth.state.Environment;
import dev.clawauth.store.CodexIds;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Providers;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "login",
    description = {"Run a provider's login flow and store the credential.",
        "openai-codex: ChatGPT OAuth in the browser (PKCE); on SSH or without a display, paste the redirect URL.",
        "On OpenClaw 2026.9's SQLite store it is saved as provider openai (openai:<email>), as OpenClaw stores it;"
            + " --provider openai runs the same login there.",
        "anthropic: --method setup-token (default), api-key, or oauth (Claude Pro/Max)."})
public final class LoginCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;

  @Option(names = "--provider", required = true, paramLabel = "<id>", description = "Provider id (e.g. openai-codex, anthropic).")
  String provider;

  @Option(names = "--method", paramLabel = "<name>", description = "The provider's login method, when it has several.")
  String method;

  @Option(names = "--profile-id", paramLabel = "<id>", description = "Store under this profile id (default: chosen by the provider, e.g. openai-codex:<email>, or openai:<email> on OpenClaw 2026.9).")
  String profileId;

  @Option(names = "--paste", description = "Do not listen for the browser's redirect; paste the redirect URL instead (for SSH/headless hosts).")
  boolean paste;

  @Option(names = "--no-browser", description = "Print the URL but do not open a browser.")
  boolean noBrowser;

  @Option(names = "--set-default", description = "Make the provider's model the default model.")
  boolean setDefault;

  @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5m",
      description = "How long to wait for the browser (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call() throws Exception {
    Duration wait = Duration.ofMillis(Durations.parse(timeout));
    AgentContext ctx = agent.open();
    LoginProviders providers = LoginProviders.load(Environment.system());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    providers.problems().forEach(p -> err.println("Warning: a login plugin was skipped: " + p));
    LoginResult result;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      // On OpenClaw 2026.9's store "openai" OAuth is the Codex login, unless a plugin claims "openai".
      String wanted = providers.forProvider(provider).isEmpty()
          ? CodexIds.loginFlow(ctx.era().kind(), provider, method) : provider;
      LoginProvider flow = providers.find(wanted, method);
      err.println("Logging in to " + flow.provider() + " (" + flow.method() + ") for agent " + ctx.agentId() + ".");
      LoginSession session = LoginSession.of(ctx, new TerminalPrompter(err),
          new LoginOptions(paste, !noBrowser, wait, flow.method()), Environment.system(), http);
      result = flow.login(session);
    } catch (LoginException e) {
      throw new CliException(e.getMessage());
    }
    boolean chosen = profileId != null && !profileId.isBlank();
    String id = chosen ? profileId.trim() : result.profileId();
    if (chosen && Providers.same(result.credential().provider(), CodexIds.OPENAI)
        && !id.equals(CodexIds.profileId(ctx.era().kind(), id))) {
      id = CodexIds.profileId(ctx.era().kind(), id);
      err.println("Storing it as " + id + ": OpenClaw 2026.9 keeps ChatGPT OAuth under provider openai and"
          + " never refreshes openai-codex profiles.");
    }
    if (!chosen) {
      var existing = ctx.store().read().profile(id);
      if (existing.isPresent() && !existing.get().type().equals(result.credential().type())) {
        // A default id must not silently replace a credential of another kind (an API key by a token).
        throw new CliException("Profile " + id + " already holds a " + existing.get().type()
            + " credential; nothing was saved. Run again with --profile-id <id> to store this "
            + result.credential().type() + " under another id, or --profile-id " + id + " to replace it.");
      }
    }
    LoginStore.save(ctx, id, result, setDefault);
    Credential c = result.credential();
    out.println("Auth profile: " + id + " (" + c.provider() + "/" + result.mode() + ")");
    if (c instanceof Credential.OAuth o) {
      if (o.email() != null) {
        out.println("Email: " + o.email());
      }
      if (o.accountId() != null) {
        out.println("Account: " + o.accountId());
      }
      out.println("Access token: " + o.access().masked() + " (expires in "
          + Durations.remaining(o.expires() - ctx.clock().millis()) + ", renews itself on use)");
    }
    out.println("Auth file: " + ctx.store().location());
    out.println("Updated " + ctx.config().path());
    if (setDefault && result.defaultModel() != null) {
      out.println("Default model: " + result.defaultModel());
    }
    out.flush();
    return 0;
  }
}
