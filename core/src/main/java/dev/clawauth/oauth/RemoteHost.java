package dev.clawauth.oauth;

import dev.clawauth.state.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether a browser on this machine can reach a loopback callback: not over SSH, not in a remote
 * container or Codespace, and not on a Linux host without a display (WSL excepted).
 */
public final class RemoteHost {
  private RemoteHost() {}

  /** The reason this host counts as remote or headless, or null when a local browser is expected. */
  public static String reason(Environment env, String osName) {
    for (String v : new String[] {"SSH_CLIENT", "SSH_TTY", "SSH_CONNECTION"}) {
      if (env.get(v).isPresent()) {
        return "an SSH session (" + v + " is set)";
      }
    }
    if (env.get("REMOTE_CONTAINERS").isPresent() || env.get("CODESPACES").isPresent()) {
      return "a remote container";
    }
    boolean linux = osName.toLowerCase(Locale.ROOT).contains("linux");
    if (linux && env.get("DISPLAY").isEmpty() && env.get("WAYLAND_DISPLAY").isEmpty() && !wsl(env)) {
      return "a Linux host without a display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
    }
    return null;
  }

  public static String reason(Environment env) {
    return reason(env, System.getProperty("os.name", ""));
  }

  private static boolean wsl(Environment env) {
    if (env.get("WSL_DISTRO_NAME").isPresent() || env.get("WSL_INTEROP").isPresent()) {
      return true;
    }
    try {
      return Files.readString(Path.of("/proc/version")).toLowerCase(Locale.ROOT).contains("microsoft");
    } catch (IOException | RuntimeException notLinux) {
      return false;
    }
  }
}
