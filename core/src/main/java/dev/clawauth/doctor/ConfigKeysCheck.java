package dev.clawauth.doctor;

import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.OwnSettings;
import dev.clawauth.state.StatePaths;
import java.util.List;

/** Keys only Clawauth reads, written into openclaw.json, where OpenClaw rejects them. */
final class ConfigKeysCheck {
  private ConfigKeysCheck() {}

  static void check(StatePaths paths, ClawConfig config, List<Finding> out) {
    var gateway = config.tree().path("gateway");
    List<String> found = OwnSettings.GATEWAY_ONLY_KEYS.stream().filter(gateway::has).map(k -> "gateway." + k).toList();
    if (found.isEmpty()) {
      return;
    }
    out.add(new Finding("clawauth-keys-in-openclaw-config", Severity.WARNING, Section.STATE, null, config.path(),
        config.path().getFileName() + " holds keys only Clawauth reads: " + String.join(", ", found),
        "OpenClaw validates its config strictly: its gateway refuses to start with keys it does not know,"
            + " and `openclaw doctor --fix` deletes them",
        "move them into the gateway block of " + paths.stateDir().resolve(OwnSettings.FILE)
            + " (Clawauth reads it first) and delete them from " + config.path(), null));
  }
}
