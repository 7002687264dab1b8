package dev.clawauth.cli.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The text of the systemd user units: the gateway's service, and the monitor's timer and oneshot service. */
public final class SystemdUnits {
  public static final String GATEWAY = "clawauth-gateway.service";
  public static final String MONITOR_SERVICE = "clawauth-monitor.service";
  public static final String MONITOR_TIMER = "clawauth-monitor.timer";

  /** What the JVM needs beyond the drain grace to close the store and exit. */
  private static final long STOP_MARGIN_SECONDS = 10;

  /** How long a manager waits after SIGTERM before it kills: longer than the gateway's drain grace, never cutting a drain short. */
  public static long stopTimeoutSeconds(Duration shutdownGrace) {
    return shutdownGrace.plusMillis(999).toSeconds() + STOP_MARGIN_SECONDS;
  }

  static final String MONITOR_START_TIMEOUT = "5min";

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._:=@,+-]+");

  private SystemdUnits() {}

  /** The gateway's unit; {@code shutdownGrace} is the configured {@code gateway.shutdownGrace}. */
  public static String gateway(Launch launch, Duration shutdownGrace) {
    StringBuilder b = new StringBuilder();
    b.append("# Written by `clawauth gateway install`; `clawauth gateway uninstall` removes it.\n");
    b.append("[Unit]\n");
    b.append("Description=Clawauth gateway (local model API with the stored credentials)\n");
    b.append("After=network-online.target\n");
    b.append("Wants=network-online.target\n\n");
    b.append("[Service]\n");
    b.append("Type=simple\n");
    environment(b, launch);
    b.append("ExecStart=").append(execLine(launch.command())).append('\n');
    b.append("Restart=on-failure\n");
    b.append("RestartSec=5\n");
    b.append("TimeoutStopSec=").append(stopTimeoutSeconds(shutdownGrace)).append('\n');
    // A JVM that dies of the SIGTERM systemd sends reports 143: that is a stop, not a failure.
    b.append("SuccessExitStatus=143\n\n");
    b.append("[Install]\n");
    b.append("WantedBy=default.target\n");
    return b.toString();
  }

  public static String monitorService(Launch launch) {
    StringBuilder b = new StringBuilder();
    b.append("# Written by `clawauth monitor install`; `clawauth monitor uninstall` removes it.\n");
    b.append("[Unit]\n");
    b.append("Description=Clawauth credential check (models status --check)\n\n");
    b.append("[Service]\n");
    b.append("Type=oneshot\n");
    environment(b, launch);
    b.append("ExecStart=").append(execLine(launch.command())).append('\n');
    // A notify command that never returns must not keep the timer from firing again.
    b.append("TimeoutStartSec=").append(MONITOR_START_TIMEOUT).append('\n');
    return b.toString();
  }

  public static String monitorTimer(Every every) {
    return "# Written by `clawauth monitor install`; `clawauth monitor uninstall` removes it.\n"
        + "[Unit]\n"
        + "Description=Run the Clawauth credential check every " + every + "\n\n"
        + "[Timer]\n"
        + "OnBootSec=5min\n"
        + "OnUnitActiveSec=" + every.systemd() + "\n"
        + "Persistent=true\n"
        + "Unit=" + MONITOR_SERVICE + "\n\n"
        + "[Install]\n"
        + "WantedBy=timers.target\n";
  }

  private static void environment(StringBuilder b, Launch launch) {
    b.append("EnvironmentFile=-").append(specifiers(launch.envFile().toString())).append('\n');
    for (Map.Entry<String, String> e : launch.env().entrySet()) {
      b.append("Environment=").append(quoted(specifiers(e.getKey() + "=" + e.getValue()))).append('\n');
    }
  }

  /** A command line as ExecStart= splits it: each word quoted when needed, {@code %} and {@code $} escaped. */
  static String execLine(List<String> words) {
    StringBuilder b = new StringBuilder();
    for (String w : words) {
      if (!b.isEmpty()) {
        b.append(' ');
      }
      String escaped = specifiers(w).replace("$", "$$");
      b.append(PLAIN.matcher(w).matches() ? escaped : quoted(escaped));
    }
    return b.toString();
  }

  private static String specifiers(String s) {
    return s.replace("%", "%%");
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
