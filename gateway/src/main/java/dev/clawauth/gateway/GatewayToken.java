package dev.clawauth.gateway;

import dev.clawauth.AgentContext;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.config.EnvRefs;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The gateway's own bearer token: clients present it instead of a provider credential. As for
 * OpenClaw's gateway it is {@code $OPENCLAW_GATEWAY_TOKEN} when set, else the config's
 * {@code gateway.auth.token}, else {@code <state>/clawauth-gateway.token},
 * generated (32 random bytes, hex) on first use and kept 0600.
 */
public final class GatewayToken {
  public static final String FILE = "clawauth-gateway.token";

  private GatewayToken() {}

  public static Path file(StatePaths paths) {
    return paths.stateDir().resolve(FILE);
  }

  /** The variables OpenClaw's gateway takes its token from before the config (2026.1 name last). */
  static final List<String> ENV = List.of("OPENCLAW_GATEWAY_TOKEN", "CLAWDBOT_GATEWAY_TOKEN");

  /** Where the token in use comes from, for the operator: a variable, the config key, else the file. */
  public static String source(AgentContext ctx) {
    StatePaths paths = ctx.paths();
    ClawConfig config = ctx.config();
    String var = fromEnv(paths);
    if (var != null) {
      return "$" + var;
    }
    EnvRefs.Resolved configured = configured(ctx);
    if (configured == null) {
      return "file " + file(paths);
    }
    return configured.ok() ? "gateway.auth.token in " + config.path()
        : "file " + file(paths) + "; gateway.auth.token " + configured.unset();
  }

  private static String fromEnv(StatePaths paths) {
    for (String name : ENV) {
      if (paths.env().get(name).filter(v -> !v.isBlank()).isPresent()) {
        return name;
      }
    }
    return null;
  }

  /**
   * {@code gateway.auth.token} with its {@code ${VAR}} references resolved, or null when unset. An
   * unresolved one is not used: taken literally it would be a token anyone could guess.
   */
  private static EnvRefs.Resolved configured(AgentContext ctx) {
    var configured = ctx.config().tree().path("gateway").path("auth").path("token");
    if (!configured.isTextual() || configured.asText().isBlank()) {
      return null;
    }
    // The context reads its environment once, and only if the token holds a reference.
    return EnvRefs.resolve(configured.asText().trim(), name -> ctx.env().value(name));
  }

  /** Reads the token, creating the file when there is none. */
  public static Secret loadOrCreate(AgentContext ctx) throws IOException {
    StatePaths paths = ctx.paths();
    String var = fromEnv(paths);
    if (var != null) {
      return new Secret(paths.env().get(var).orElseThrow().trim());
    }
    EnvRefs.Resolved configured = configured(ctx);
    if (configured != null && configured.ok()) {
      return new Secret(configured.value());
    }
    Path f = file(paths);
    try {
      String existing = AtomicFiles.read(f).trim();
      if (!existing.isEmpty()) {
        return new Secret(existing);
      }
    } catch (NoSuchFileException absent) {
      // first start: generate below
    }
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String token = HexFormat.of().formatHex(raw);
    AtomicFiles.createPrivateDirectories(f.getParent());
    AtomicFiles.write(f, token + "\n");
    return new Secret(token);
  }

  public static boolean exists(StatePaths paths) {
    return Files.exists(file(paths));
  }
}
