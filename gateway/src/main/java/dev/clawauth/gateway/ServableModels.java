package dev.clawauth.gateway;

import dev.clawauth.AgentContext;
import dev.clawauth.json.JsonFileException;
import java.io.IOException;

/** Whether an agent's gateway would serve a model, for the commands that name models ahead of a request. */
public final class ServableModels {
  private ServableModels() {}

  /**
   * True when the gateway would take a request for {@code model} on this agent: the provider has an
   * endpoint, and a credential (store, environment, config key) or a {@code models.providers} entry.
   */
  public static boolean servable(AgentContext ctx, ModelRef model) throws IOException, JsonFileException {
    if (Upstreams.base(ctx.config(), model.provider()).isEmpty()) {
      return false;
    }
    // Read now, so that the environment's credentials count as they will in the gateway.
    ctx.env();
    return ModelAccess.reachable(ctx, ctx.store().read(), model.provider());
  }
}
