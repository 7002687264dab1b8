package dev.clawauth.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.state.StatePaths;
import java.time.Clock;
import java.util.ServiceLoader;

/** Finds the {@link StoreBackend} of a kind on the class path. */
public final class StoreBackends {
  private StoreBackends() {}

  /**
   * Opens the store of {@code agentId} with the installed backend of {@code kind}.
   *
   * @throws IllegalStateException when no backend of that kind is installed
   */
  public static CredentialStore open(StoreKind kind, StatePaths paths, JsonNode settings, String agentId,
      Clock clock) {
    for (StoreBackend b : ServiceLoader.load(StoreBackend.class, StoreBackends.class.getClassLoader())) {
      if (b.kind() == kind) {
        return b.open(paths, settings, agentId, clock);
      }
    }
    throw new IllegalStateException("this build of Clawauth has no " + kind.label()
        + " store (the clawauth-store-postgres module is not on the class path)");
  }
}
