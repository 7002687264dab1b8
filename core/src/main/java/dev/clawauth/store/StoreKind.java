package dev.clawauth.store;

/** Where a state directory keeps its credentials, named after the OpenClaw release that does so. */
public enum StoreKind {
  /** {@code <agentDir>/auth-profiles.json}, the documents' file (OpenClaw 2026.1). */
  FILE("auth-profiles.json (OpenClaw 2026.1)"),
  /** {@code <state>/state/openclaw.sqlite} and per-agent {@code openclaw-agent.sqlite} (OpenClaw 2026.9). */
  SQLITE("SQLite (OpenClaw 2026.9)"),
  /** A PostgreSQL database named in {@code <state>/clawauth.json}, shared by several gateway hosts. */
  POSTGRES("PostgreSQL (shared by gateway hosts)");

  private final String label;

  StoreKind(String label) {
    this.label = label;
  }

  /** How status and doctor name it. */
  public String label() {
    return label;
  }
}
