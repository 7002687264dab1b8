package dev.clawauth.cli.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The user's systemd instance, through {@code systemctl --user} and {@code journalctl --user}. */
public final class Systemd {
  private final Exec exec;

  public Systemd(Exec exec) {
    this.exec = exec;
  }

  /**
   * Why a user unit cannot be used here, or empty when it can: a container, WSL without systemd
   * or Termux has systemctl missing or no user manager to talk to.
   */
  public Optional<String> unusable() {
    if (exec.host().termux()) {
      return Optional.of("Termux has no systemd");
    }
    if (!exec.has("systemctl")) {
      return Optional.of("systemd is not available here (no systemctl on PATH)");
    }
    Exec.Result r = exec.run("systemctl", "--user", "show-environment");
    if (!r.ok()) {
      return Optional.of("systemd's user manager is not running here (`systemctl --user show-environment`: "
          + r.why() + ")");
    }
    return Optional.empty();
  }

  public Exec.Result daemonReload() {
    return exec.run("systemctl", "--user", "daemon-reload");
  }

  public Exec.Result enableNow(String unit) {
    return exec.run("systemctl", "--user", "enable", "--now", unit);
  }

  public Exec.Result disableNow(String unit) {
    return exec.run("systemctl", "--user", "disable", "--now", unit);
  }

  public Exec.Result restart(String unit) {
    return exec.run("systemctl", "--user", "restart", unit);
  }

  /** The unit's properties ({@code Key=value} lines of {@code systemctl show}); empty when it cannot say. */
  public Map<String, String> show(String unit, String properties) {
    Exec.Result r = exec.run("systemctl", "--user", "show", unit, "-p", properties);
    Map<String, String> props = new LinkedHashMap<>();
    if (r.ok()) {
      for (String line : r.out().split("\n", -1)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          props.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
    }
    return props;
  }

  /** The unit's latest journal line of priority warning or worse. */
  public Optional<String> lastWarning(String unit) {
    if (!exec.has("journalctl")) {
      return Optional.empty();
    }
    Exec.Result r = exec.run("journalctl", "--user", "-u", unit, "-p", "warning", "-n", "1", "-o", "cat",
        "--no-pager");
    return r.ok() ? lastLine(r.out()) : Optional.empty();
  }

  static Optional<String> lastLine(String text) {
    String[] lines = text.strip().split("\n", -1);
    String last = lines[lines.length - 1].strip();
    return last.isEmpty() || last.startsWith("-- ") ? Optional.empty() : Optional.of(last);
  }
}
