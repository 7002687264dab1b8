package dev.clawauth.gateway;

import dev.clawauth.AgentContext;
import dev.clawauth.config.EnvRefs;
import java.util.Optional;
import java.util.function.Function;

/**
 * Config values that may name environment variables, resolved against what OpenClaw's process
 * would have: the environment, the {@code .env} files and the config's {@code env} block.
 */
final class ConfigRefs {
  private ConfigRefs() {}

  static Function<String, Optional<String>> lookup(AgentContext ctx) {
    // Lazy: the environment is read only when a value holds a reference.
    return name -> ctx.env().value(name);
  }

  /**
   * Reads the agent's environment (with {@code env.shellEnv}, its login shell) so that later
   * calls return at once; a failure is left to the request's own read, which answers it.
   */
  static void readEnv(AgentContext ctx) {
    try {
      ctx.env();
    } catch (RuntimeException later) {
      // read again on the request's way
    }
  }

  /** {@code models.providers.<id>.apiKey}, resolved; empty when none is configured. */
  static Optional<EnvRefs.Resolved> apiKey(AgentContext ctx, String provider) {
    return EnvRefs.providerApiKey(ctx.config(), provider, lookup(ctx));
  }

  /** {@code models.providers.<id>.baseUrl}, or the provider's real endpoint, resolved. */
  static Optional<EnvRefs.Resolved> base(AgentContext ctx, String provider) {
    return Upstreams.base(ctx.config(), provider).map(raw -> EnvRefs.resolve(raw, lookup(ctx)));
  }
}
