package dev.clawauth.cli.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The user's crontab, edited through {@code crontab -l} / {@code crontab -}: one marked line is clawauth's. */
public final class Crontab {
  public static final String MARKER = "# clawauth-monitor";

  /** {@code crontab -l} failed for another reason than "no crontab": writing now would wipe the user's table. */
  public static final class Unreadable extends Exception {
    public Unreadable(String why) {
      super(why);
    }
  }

  private final Exec exec;

  public Crontab(Exec exec) {
    this.exec = exec;
  }

  public boolean usable() {
    return exec.has("crontab");
  }

  /** Installs {@code line} (which ends with the marker), replacing an earlier clawauth line. */
  public Exec.Result install(String line) throws Unreadable {
    List<String> lines = others(current());
    lines.add(line);
    return write(lines);
  }

  /** Removes clawauth's line; false when there was none. */
  public boolean remove() throws Unreadable {
    List<String> current = current();
    List<String> others = others(current);
    if (others.size() == current.size()) {
      return false;
    }
    Exec.Result r = write(others);
    if (!r.ok()) {
      throw new IllegalArgumentException("crontab could not be written: " + r.why());
    }
    return true;
  }

  private List<String> current() throws Unreadable {
    Exec.Result r = exec.run("crontab", "-l");
    List<String> lines = new ArrayList<>();
    if (r.ok()) {
      for (String l : r.out().split("\n", -1)) {
        lines.add(l);
      }
      while (!lines.isEmpty() && lines.getLast().isEmpty()) {
        lines.removeLast();
      }
      return lines;
    }
    // Only this answer means "no table yet"; a timeout or cron.allow refusal says nothing about its content.
    if (r.exit() == 1 && r.err().contains("no crontab for")) {
      return lines;
    }
    throw new Unreadable("`crontab -l` failed: " + r.why());
  }

  private static List<String> others(List<String> current) {
    List<String> kept = new ArrayList<>();
    for (String l : current) {
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
