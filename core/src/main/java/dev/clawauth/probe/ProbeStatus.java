package dev.clawauth.probe;

import dev.clawauth.select.FailureReason;

/** The outcome of one probe, as {@code auth.probes.results[].status} spells it. */
public enum ProbeStatus {
  OK("ok", "ok"),
  AUTH("auth", "auth error"),
  RATE_LIMIT("rate_limit", "rate limited"),
  BILLING("billing", "billing"),
  TIMEOUT("timeout", "timed out"),
  FORMAT("format", "request refused"),
  NETWORK("network", "network error"),
  ERROR("error", "error"),
  SKIPPED("skipped", "not probed"),
  UNSUPPORTED("unsupported", "not probed");

  private final String wire;
  private final String label;

  ProbeStatus(String wire, String label) {
    this.wire = wire;
    this.label = label;
  }

  public String wire() {
    return wire;
  }

  /** Words for the text view. */
  public String label() {
    return label;
  }

  /** Whether the credential answered as one that works. */
  public boolean healthy() {
    return this == OK;
  }

  /** Maps an HTTP answer that was not a success; a client error outside the table is {@link #ERROR}. */
  public static ProbeStatus of(int status, String body) {
    FailureReason r = FailureReason.classify(status, body);
    if (r == null) {
      return ERROR;
    }
    return switch (r) {
      case AUTH -> AUTH;
      case RATE_LIMIT -> RATE_LIMIT;
      case BILLING -> BILLING;
      case TIMEOUT -> TIMEOUT;
      case FORMAT -> FORMAT;
      case UNKNOWN -> ERROR;
    };
  }
}
