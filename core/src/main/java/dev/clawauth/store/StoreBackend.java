package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.state.StatePaths;
import java.time.Clock;

/**
 * A credential store kept outside the state directory (a database), found with
 * {@link java.util.ServiceLoader} so that the core library carries none of its drivers and the
 * CLI loads them only when {@code <state>/clawauth.json} selects such a store.
 */
public interface StoreBackend {

  StoreKind kind();

  /**
   * Agent {@code agentId}'s store under {@code settings} (clawauth.json's {@code store} block). It
   * connects on first use, so opening never waits on the network.
   */
  CredentialStore open(StatePaths paths, JsonNode settings, String agentId, Clock clock);
}
