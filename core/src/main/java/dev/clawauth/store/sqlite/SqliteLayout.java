package dev.clawauth.store.sqlite;

import java.nio.file.Path;

/**
 * Where one agent's credentials live in an OpenClaw 2026.9 state directory.
 *
 * @param stateDir the state directory (its {@code locks/} hold OpenClaw's refresh locks)
 * @param sharedDb the database of the shared store
 * @param shared where in {@code sharedDb} the shared store is
 * @param ownDb the agent's own database ({@code <agentDir>/openclaw-agent.sqlite}); the same file
 *     as {@code sharedDb} for main in the legacy-main layout
 * @param agentId the agent
 * @param ownsNewProfiles whether a new profile goes into {@code ownDb} rather than the shared store
 *     (every agent but the default one, as OpenClaw's paste does)
 */
public record SqliteLayout(Path stateDir, Path sharedDb, Shared shared, Path ownDb, String agentId,
    boolean ownsNewProfiles) {

  public static final String SHARED_DB = "state/openclaw.sqlite";
  public static final String AGENT_DB = "openclaw-agent.sqlite";

  /** Where the shared store is, as the {@code auth.sharedStore} row of the state database says. */
  public enum Shared {
    /** The state database's {@code authProfiles.*} rows ({@code {"location":"state-db"}}). */
    STATE_DB,
    /** Main's agent database (no {@code auth.sharedStore} row: OpenClaw's "legacy-main"). */
    LEGACY_MAIN
  }

  AuthRows sharedRows() {
    return shared == Shared.STATE_DB ? new AuthRows.MachineState() : new AuthRows.Agent();
  }

  /** Whether the agent's own database is the shared store itself. */
  boolean ownIsShared() {
    return ownDb.equals(sharedDb);
  }
}
