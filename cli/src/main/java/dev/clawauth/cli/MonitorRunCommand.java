package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.cli.service.Exec;
import dev.clawauth.cli.service.Host;
import dev.clawauth.state.Environment;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.status.StatusReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", header = "Run the credential check once and notify on 1 or 2.", description = {
    "Run the check once, as the installed timer does: print one line per problem (nothing when "
        + "all is well) and, when the check says 1 or 2, run the --notify command with /bin/sh -c and "
        + "CLAWAUTH_CHECK_EXIT, CLAWAUTH_CHECK_SUMMARY and CLAWAUTH_AGENT in its environment.",
    "",
    "Exit codes: those of `models status --check` (0 ok, 1 missing or expired, 2 expiring), "
        + "whatever the notify command does. A config or store that cannot be read is 1 too, and is notified "
        + "with the file (and line:column) at fault."})
final class MonitorRunCommand implements Callable<Integer> {
  private static final int SUMMARY_MAX = 400;

  @Spec
  CommandSpec spec;

  @Mixin
  AgentOption agent;

  @Option(names = "--notify", paramLabel = "<command>", description = "Shell command to run when the check is 1 or 2.")
  String notify;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String agentId;
    int code;
    List<String> lines;
    try {
      AgentContext ctx = agent.open();
      ObjectNode report = StatusReport.build(ctx);
      agentId = ctx.agentId();
      code = CheckLines.exitCode(report);
      lines = CheckLines.lines(report);
    } catch (JsonFileException | IOException | IllegalArgumentException e) {
      // A monitor that dies silently when everything is broken is the one case it must not miss.
      agentId = agent.agentId != null ? agent.agentId : "default";
      code = 1;
      lines = List.of("the check could not run: " + FailureHandler.message(e));
    }
    lines.forEach(out::println);
    out.flush();
    if (code != 0 && notify != null && !notify.isBlank()) {
      String summary = summary(code, agentId, lines);
      Exec.Result r = new Exec(Host.current(Environment.system())).run(null,
          Map.of("CLAWAUTH_CHECK_EXIT", Integer.toString(code), "CLAWAUTH_CHECK_SUMMARY", summary,
              "CLAWAUTH_AGENT", agentId),
          "/bin/sh", "-c", notify);
      if (!r.ok()) {
        err.println("Warning: the notify command failed (exit code " + r.exit() + "); the check's exit code ("
            + code + ") stands.");
      }
      err.print(r.out());
      err.print(r.err());
      err.flush();
    }
    return code;
  }

  /** One line, short enough for a phone notification: the verdict, the agent, then the problems. */
  static String summary(int code, String agentId, List<String> lines) {
    String s = "clawauth " + (code == 1 ? "FAIL" : "WARN") + " (agent " + agentId + "): "
        + (lines.isEmpty() ? "the credential check failed" : String.join("; ", lines));
    s = s.replace('\n', ' ').replace('\r', ' ');
    return s.length() <= SUMMARY_MAX ? s : s.substring(0, SUMMARY_MAX - 1) + "…";
  }
}
