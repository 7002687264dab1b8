package dev.clawauth.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.config.OwnSettings;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.CredentialStore;
import dev.clawauth.store.StoreBackend;
import dev.clawauth.store.StoreKind;
import java.time.Clock;

/** The PostgreSQL store, as {@link java.util.ServiceLoader} offers it to the core library. */
public final class PostgresBackend implements StoreBackend {

  @Override
  public StoreKind kind() {
    return StoreKind.POSTGRES;
  }

  @Override
  public CredentialStore open(StatePaths paths, JsonNode settings, String agentId, Clock clock) {
    return open(PostgresSettings.from(settings, paths), agentId);
  }

  /** Agent {@code agentId}'s store in the database {@code settings} name. */
  public static PostgresStore open(PostgresSettings settings, String agentId) {
    return new PostgresStore(PgDatabase.of(settings), settings, agentId, settings.paths().stateDir().resolve(OwnSettings.FILE));
  }
}
