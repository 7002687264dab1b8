package dev.clawauth.cli.service;

import dev.clawauth.state.Environment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine as far as installing a service goes: which OS, where the user's config lives and
 * which programs are on {@code PATH}. Everything comes from an {@link Environment}, so a test
 * decides what is installed by putting scripts first on {@code PATH}.
 */
public record Host(String osName, Environment env) {

  public static Host current(Environment env) {
    return new Host(System.getProperty("os.name", ""), env);
  }

  public boolean mac() {
    return osName.toLowerCase(Locale.ROOT).startsWith("mac");
  }

  /** Termux's prefix is {@code /data/data/com.termux/files/usr}: no systemd, no launchd there. */
  public boolean termux() {
    return env.get("PREFIX").filter(p -> p.contains("com.termux")).isPresent();
  }

  /** An executable of this name in a {@code PATH} directory (or at this path), as a shell would find it. */
  public Optional<Path> find(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : env.get("PATH").orElse("").split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public Path configHome() {
    return env.get("XDG_CONFIG_HOME").map(Path::of).filter(Path::isAbsolute)
        .orElse(env.home().resolve(".config"));
  }

  public Path systemdUserDir() {
    return configHome().resolve("systemd").resolve("user");
  }

  public Path launchAgentsDir() {
    return env.home().resolve("Library").resolve("LaunchAgents");
  }

  /** Where {@code gateway install} puts the gateway's service: the launchd plist on macOS, else the systemd unit. */
  public Path gatewayServiceFile() {
    return mac() ? launchAgentsDir().resolve(LaunchdPlist.fileName()) : systemdUserDir().resolve(SystemdUnits.GATEWAY);
  }
}
