package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.doctor.Change;
import dev.clawauth.doctor.Doctor;
import dev.clawauth.doctor.Finding;
import dev.clawauth.doctor.Section;
import dev.clawauth.doctor.Severity;
import java.util.List;

/** The human view of a doctor run: findings grouped by section, each with why and fix. */
final class DoctorText {
  private DoctorText() {}

  static String render(Doctor.Examination e, boolean fixRequested, List<Change> changes) {
    StringBuilder b = new StringBuilder();
    b.append("Clawauth doctor\n");
    b.append(String.format("%-10s: %s%n", "State dir", e.paths().stateDir()));
    b.append(String.format("%-10s: %s%n", "Config", e.paths().configPath()));
    b.append(String.format("%-10s: %s%n", "Agents", e.agents().isEmpty() ? "-"
        : String.join(", ", e.agents().stream().map(AgentContext::agentId).toList())));

    if (fixRequested) {
      b.append("\nChanges\n");
      if (changes.isEmpty()) {
        b.append("- nothing to change\n");
      }
      for (Change c : changes) {
        b.append(c.applied() ? "- " : "- NOT DONE: ").append(c.description()).append('\n');
      }
    }

    for (Section s : Section.values()) {
      List<Finding> in = e.findings().stream().filter(f -> f.section() == s).toList();
      if (in.isEmpty()) {
        continue;
      }
      b.append('\n').append(s.title()).append('\n');
      for (Finding f : in) {
        b.append("- ").append(tag(f.severity()));
        if (f.agentId() != null) {
          b.append(" [").append(f.agentId()).append(']');
        }
        b.append(' ').append(f.what()).append('\n');
        b.append("    why: ").append(f.why()).append('\n');
        b.append("    fix: ").append(f.fix()).append('\n');
      }
    }

    long problems = e.problems().size();
    long fixable = e.findings().stream().filter(f -> f.severity().isProblem() && f.autoFixable()).count();
    b.append('\n');
    if (problems == 0) {
      b.append(fixRequested ? "No problems remain.\n" : "No problems found.\n");
    } else {
      b.append(problems).append(problems == 1 ? " problem" : " problems")
          .append(fixRequested ? " remain" + (problems == 1 ? "s" : "") + "." : " found.");
      if (!fixRequested && fixable > 0) {
        b.append(" Run `clawauth doctor --fix` to repair ").append(fixable).append(" of them.");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String tag(Severity s) {
    return switch (s) {
      case ERROR -> "ERROR";
      case WARNING -> "WARN";
      case INFO -> "info";
    };
  }
}
