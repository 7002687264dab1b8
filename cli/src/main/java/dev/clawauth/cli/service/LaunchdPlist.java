package dev.clawauth.cli.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The launchd agent that keeps the gateway running on macOS. */
public final class LaunchdPlist {
  public static final String LABEL = "ai.clawauth.gateway";

  private LaunchdPlist() {}

  public static String fileName() {
    return LABEL + ".plist";
  }

  /**
   * The JVM directly, with no shell: the gateway reads {@code <state>/.env} itself, literally,
   * where a shell sourcing it would expand {@code $} and run backticks.
   */
  public static String gateway(Launch launch, Duration shutdownGrace) {
    List<String> argv = launch.command();
    String log = launch.logDir().resolve("gateway.log").toString();
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
    b.append("<!-- Written by `clawauth gateway install`; `clawauth gateway uninstall` removes it. -->\n");
    b.append("<plist version=\"1.0\">\n<dict>\n");
    key(b, "Label").append("  <string>").append(xml(LABEL)).append("</string>\n");
    key(b, "ProgramArguments").append("  <array>\n");
    for (String a : argv) {
      b.append("    <string>").append(xml(a)).append("</string>\n");
    }
    b.append("  </array>\n");
    if (!launch.env().isEmpty()) {
      key(b, "EnvironmentVariables").append("  <dict>\n");
      for (Map.Entry<String, String> e : launch.env().entrySet()) {
        b.append("    <key>").append(xml(e.getKey())).append("</key>\n");
        b.append("    <string>").append(xml(e.getValue())).append("</string>\n");
      }
      b.append("  </dict>\n");
    }
    key(b, "ExitTimeOut").append("  <integer>").append(SystemdUnits.stopTimeoutSeconds(shutdownGrace))
        .append("</integer>\n");
    key(b, "RunAtLoad").append("  <true/>\n");
    key(b, "KeepAlive").append("  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
    key(b, "StandardOutPath").append("  <string>").append(xml(log)).append("</string>\n");
    key(b, "StandardErrorPath").append("  <string>").append(xml(log)).append("</string>\n");
    b.append("</dict>\n</plist>\n");
    return b.toString();
  }

  private static StringBuilder key(StringBuilder b, String key) {
    return b.append("  <key>").append(key).append("</key>\n");
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
