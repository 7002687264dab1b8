package dev.clawauth.cli;

import dev.clawauth.doctor.Change;
import dev.clawauth.doctor.Doctor;
import dev.clawauth.doctor.DoctorReport;
import dev.clawauth.env.ShellEnv;
import dev.clawauth.json.JsonText;
import dev.clawauth.state.Environment;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Version.class, description = {
    "Find and explain credential problems; --fix repairs the safe ones.",
    "",
    "Checks every agent for loose permissions, files that do not parse, legacy",
    "files not yet imported, expired or expiring credentials, order entries",
    "naming missing profiles, providers in use without a credential, keys only",
    "your shell has, and stale locks. Each finding says why it matters and the",
    "command that fixes it.",
    "",
    "--fix repairs permissions, pending imports, dangling order entries and",
    "stale locks, says what it changed, and never touches a file that does not",
    "parse.",
    "",
    "Exit codes: 0 nothing to fix; 1 a problem remains (after --fix: one it",
    "could not fix)."})
public final class DoctorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--agent", paramLabel = "<id>", description = "Only this agent (default: every agent found).")
  String agentId;

  @Option(names = {"--fix", "--repair"}, description = "Apply the safe repairs, then report what remains.")
  boolean fix;

  @Option(names = "--json", description = "Print the findings as JSON (see docs/doctor.md).")
  boolean json;

  @Option(names = {"--non-interactive", "--yes"},
      description = "Accepted for 2026.1 scripts; doctor never prompts.")
  boolean nonInteractive;

  @Override
  public Integer call() {
    Doctor doctor = new Doctor(Environment.system(), agentId, Clock.systemUTC(), ShellEnv.PROFILE_ONLY);
    Doctor.Examination found = doctor.examine();
    List<Change> changes = List.of();
    Doctor.Examination result = found;
    if (fix) {
      changes = doctor.repair(found);
      result = doctor.examine();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(JsonText.pretty(DoctorReport.toJson(result, fix, changes)));
    } else {
      out.print(DoctorText.render(result, fix, changes));
    }
    out.flush();
    return DoctorReport.exitCode(result);
  }
}
