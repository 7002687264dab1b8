package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.hints.Durations;
import dev.clawauth.oauth.LoginProviders;
import dev.clawauth.oauth.RefreshException;
import dev.clawauth.state.Environment;
import dev.clawauth.oauth.RefreshResult;
import dev.clawauth.oauth.TokenRefresher;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "refresh",
    description = "Refresh an OAuth profile's access token now if it is due (or always, with --force).")
public final class RefreshCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;

  @Parameters(paramLabel = "<profileId>", description = "The OAuth profile, e.g. openai-codex:default.")
  String profileId;

  @Option(names = "--force", description = "Refresh even when the access token is still fresh.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    AgentContext ctx = agent.open();
    RefreshResult r;
    try (TokenRefresher refresher = TokenRefresher.builder()
        .providers(LoginProviders.load(Environment.system())).build()) {
      r = refresher.refresh(ctx, profileId.trim(), force);
    } catch (RefreshException e) {
      throw new CliException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    String left = Durations.remaining(r.credential().expires() - ctx.clock().millis());
    out.println(r.profileId() + ": " + switch (r.outcome()) {
      case FRESH -> "still fresh, nothing sent (expires in " + left + "; --force renews now)";
      case REFRESHED -> "refreshed (expires in " + left + ")";
      case REFRESHED_ELSEWHERE -> "already refreshed by another process (expires in " + left + ")";
      case DEFERRED -> "refresh failed for now; the stored token still works (expires in " + left + ")";
    });
    out.println("Access token: " + r.credential().access().masked());
    out.flush();
    return 0;
  }
}
