package dev.clawauth.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.select.Cooldowns;
import dev.clawauth.store.UsageStats;
import java.io.IOException;

/**
 * Stores what a login produced: the profile in the agent's store (replacing one of the same id,
 * clearing its cooldown and any re-login mark) and its {@code auth.profiles} entry in the config.
 * Both writes are atomic and locked.
 */
public final class LoginStore {
  private LoginStore() {}

  public static void save(AgentContext agent, String profileId, LoginResult result, boolean setDefaultModel)
      throws IOException, JsonFileException {
    agent.store().update(doc -> {
      doc.putProfile(profileId, result.credential());
      UsageStats u = doc.usage(profileId);
      if (u.cooldownUntil() > 0 || u.errorCount() > 0) {
        new Cooldowns(agent.config().cooldowns()).reset(doc, profileId);
      }
      return null;
    });
    ConfigFile.update(agent.config().path(), root -> {
      ObjectNode auth = object(root, "auth");
      ObjectNode profiles = object(auth, "profiles");
      ObjectNode entry = profiles.putObject(profileId);
      entry.put("provider", result.credential().provider());
      entry.put("mode", result.mode());
      if (setDefaultModel && result.defaultModel() != null) {
        ObjectNode defaults = object(object(root, "agents"), "defaults");
        JsonNode model = defaults.get("model");
        if (model instanceof ObjectNode m) {
          m.put("primary", result.defaultModel());
        } else {
          defaults.putObject("model").put("primary", result.defaultModel());
        }
      }
    });
  }

  private static ObjectNode object(ObjectNode parent, String key) {
    return parent.get(key) instanceof ObjectNode o ? o : parent.putObject(key);
  }
}
