package dev.clawauth.cli.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The user's crontab, edited through {@code crontab -l} / {@code crontab -}: one marked line is clawauth's. */
public final class Crontab {
  public static final String MARKER = "# clawauth-monitor";

  private final Exec exec;

  public Crontab(Exec exec) {
    this.exec = exec;
  }

  public boolean usable() {
    return exec.has("crontab");
  }

  /** Installs {@code line} (which ends with the marker), replacing an earlier clawauth line. */
  public Exec.Result install(String line) {
    List<String> lines = others();
    lines.add(line);
    return write(lines);
  }

  /** Removes clawauth's line; false when there was none. */
  public boolean remove() {
    List<String> current = current();
    List<String> others = others();
    if (others.size() == current.size()) {
      return false;
    }
    Exec.Result r = write(others);
    if (!r.ok()) {
      throw new IllegalArgumentException("crontab could not be written: " + r.why());
    }
    return true;
  }

  public boolean installed() {
    return current().size() != others().size();
  }

  private List<String> current() {
    Exec.Result r = exec.run("crontab", "-l");
    // `crontab -l` fails when the user has no crontab yet: that is an empty one.
    List<String> lines = new ArrayList<>();
    if (r.ok()) {
      for (String l : r.out().split("\n", -1)) {
        lines.add(l);
      }
      while (!lines.isEmpty() && lines.getLast().isEmpty()) {
        lines.removeLast();
      }
    }
    return lines;
  }

  private List<String> others() {
    List<String> kept = new ArrayList<>();
    for (String l : current()) {
      if (!l.endsWith(MARKER)) {
        kept.add(l);
      }
    }
    return kept;
  }

  private Exec.Result write(List<String> lines) {
    return exec.run(lines.isEmpty() ? "" : String.join("\n", lines) + "\n", Map.of(), "crontab", "-");
  }
}
