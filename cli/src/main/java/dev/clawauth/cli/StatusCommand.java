package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.json.JsonText;
import dev.clawauth.status.StatusReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class, description = {
    "Show the agent's model settings and the state of every credential.",
    "Writes nothing.",
    "",
    "Exit codes with --check: 0 every provider in use has a usable credential;",
    "1 one has none (missing, expired, or needs a new login);",
    "2 all are usable, but a credential is expired, needs a new login,",
    "  or expires within 24 h and cannot renew itself.",
    "",
    "--probe makes one cheap authenticated request per credential (a model",
    "listing, no tokens spent) and reports ok, auth, rate_limit, billing,",
    "timeout or network per credential. It runs only when asked and does not",
    "change the exit code."})
public final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  AgentOption agent;

  @Option(names = "--json", description = "Print the status document as JSON.")
  boolean json;

  @Option(names = "--plain", description = "Plain output (no colour).")
  boolean plain;

  @Option(names = "--check", description = "Exit 1 when auth is missing/expired, 2 when expiring.")
  boolean check;

  @Option(names = "--quiet", description = "With --check: print nothing when all is well, else one line per problem (who, what, the fix).")
  boolean quiet;

  @Mixin
  ProbeOptions probe;

  @Override
  public Integer call() throws Exception {
    probe.validate();
    if (quiet && (!check || json || probe.probe)) {
      throw new CliException("--quiet goes with --check alone (not --json or --probe): "
          + "`clawauth models status --check --quiet`.");
    }
    AgentContext ctx = agent.open();
    ObjectNode report = StatusReport.build(ctx);
    if (quiet) {
      PrintWriter out = spec.commandLine().getOut();
      CheckLines.lines(report).forEach(out::println);
      out.flush();
      return CheckLines.exitCode(report);
    }
    if (probe.probe) {
      ((ObjectNode) report.path("auth")).set("probes", probe.run(ctx));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(JsonText.pretty(report));
    } else {
      out.print(StatusText.render(report, ctx));
    }
    out.flush();
    return check ? CheckLines.exitCode(report) : 0;
  }
}
