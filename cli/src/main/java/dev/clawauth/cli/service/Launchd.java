package dev.clawauth.cli.service;

import java.nio.file.Path;
import java.util.Optional;

/** The user's launchd domain ({@code gui/<uid>}), through {@code launchctl}. */
public final class Launchd {
  private final Exec exec;

  public Launchd(Exec exec) {
    this.exec = exec;
  }

  public boolean usable() {
    return exec.has("launchctl");
  }

  private String domain() {
    Exec.Result id = exec.run("id", "-u");
    if (!id.ok() || !id.out().strip().matches("\\d+")) {
      throw new IllegalArgumentException("cannot tell your user id for launchctl's gui/<uid> domain (`id -u`: "
          + id.why() + ")");
    }
    return "gui/" + id.out().strip();
  }

  public Exec.Result bootstrap(Path plist) {
    String domain = domain();
    // A job already loaded from an earlier install keeps its old arguments until it is booted out.
    exec.run("launchctl", "bootout", domain + "/" + LaunchdPlist.LABEL);
    Exec.Result r = exec.run("launchctl", "bootstrap", domain, plist.toString());
    return r.ok() ? r : exec.run("launchctl", "load", "-w", plist.toString());
  }

  public Exec.Result bootout(Path plist) {
    Exec.Result r = exec.run("launchctl", "bootout", domain() + "/" + LaunchdPlist.LABEL);
    return r.ok() ? r : exec.run("launchctl", "unload", "-w", plist.toString());
  }

  public Exec.Result kickstart() {
    return exec.run("launchctl", "kickstart", "-k", domain() + "/" + LaunchdPlist.LABEL);
  }

  /** The job's pid while it runs, from {@code launchctl print}. */
  public Optional<Long> pid() {
    Exec.Result r = exec.run("launchctl", "print", domain() + "/" + LaunchdPlist.LABEL);
    if (!r.ok()) {
      return Optional.empty();
    }
    for (String line : r.out().split("\n", -1)) {
      String s = line.strip();
      if (s.startsWith("pid = ")) {
        try {
          return Optional.of(Long.parseLong(s.substring(6).strip()));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
