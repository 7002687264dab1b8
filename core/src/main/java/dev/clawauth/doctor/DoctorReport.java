package dev.clawauth.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.json.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code doctor --json} document (documented in docs/doctor.md; fields are only ever added):
 * <pre>{@code
 * {stateDir, configPath, agents[{agentId, agentDir, storePath}], fixRequested,
 *  changes[{code, agentId, path, change, applied}],
 *  findings[{code, severity, section, agentId, path, what, why, fix, autoFix}],
 *  summary{errors, warnings, info, autoFixable}, exitCode}
 * }</pre>
 * After {@code --fix}, {@code findings} are what remains.
 */
public final class DoctorReport {
  private DoctorReport() {}

  /** 1 while an error or warning remains, else 0. */
  public static int exitCode(Doctor.Examination e) {
    return e.problems().isEmpty() ? 0 : 1;
  }

  public static ObjectNode toJson(Doctor.Examination e, boolean fixRequested, List<Change> changes) {
    ObjectNode root = Json.object();
    root.put("stateDir", e.paths().stateDir().toString());
    root.put("configPath", e.paths().configPath().toString());
    ArrayNode agents = root.putArray("agents");
    for (AgentContext a : e.agents()) {
      ObjectNode n = agents.addObject();
      n.put("agentId", a.agentId());
      n.put("agentDir", a.agentDir().toString());
      n.put("storePath", a.store().location());
    }
    root.put("fixRequested", fixRequested);
    ArrayNode ch = root.putArray("changes");
    for (Change c : changes) {
      ObjectNode n = ch.addObject();
      n.put("code", c.code());
      putNullable(n, "agentId", c.agentId());
      putPath(n, c.path());
      n.put("change", c.description());
      n.put("applied", c.applied());
    }
    ArrayNode findings = root.putArray("findings");
    for (Finding f : e.findings()) {
      ObjectNode n = findings.addObject();
      n.put("code", f.code());
      n.put("severity", f.severity().wire());
      n.put("section", f.section().wire());
      putNullable(n, "agentId", f.agentId());
      putPath(n, f.path());
      n.put("what", f.what());
      n.put("why", f.why());
      n.put("fix", f.fix());
      n.put("autoFix", f.autoFixable());
    }
    ObjectNode summary = root.putObject("summary");
    summary.put("errors", count(e, Severity.ERROR));
    summary.put("warnings", count(e, Severity.WARNING));
    summary.put("info", count(e, Severity.INFO));
    summary.put("autoFixable", e.findings().stream().filter(Finding::autoFixable).count());
    root.put("exitCode", exitCode(e));
    return root;
  }

  private static long count(Doctor.Examination e, Severity s) {
    return e.findings().stream().filter(f -> f.severity() == s).count();
  }

  private static void putNullable(ObjectNode n, String field, String value) {
    if (value == null) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }

  private static void putPath(ObjectNode n, Path p) {
    putNullable(n, "path", p == null ? null : p.toString());
  }
}
