package dev.clawauth.gateway.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One client key as the keys file holds it: never the key itself, only its SHA-256 and a short
 * prefix to recognise it by. {@code models} empty means every model the agent serves;
 * {@code expiresAt} and {@code revokedAt} are epoch milliseconds, null when not set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientKey(String name, String sha256, String prefix, String agent, List<String> models,
    long createdAt, Long expiresAt, Long revokedAt) {

  static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** Checked when the file is read too, so that a hand-edited entry is refused with its line and column. */
  public ClientKey {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a key name is 1 to 64 of a-z, 0-9, '.', '_' and '-'");
    }
    if (sha256 == null || !HASH.matcher(sha256).matches()) {
      throw new IllegalArgumentException("key " + name + " has no sha256 of 64 hex digits");
    }
    if (agent == null || agent.isBlank()) {
      throw new IllegalArgumentException("key " + name + " has no agent");
    }
    models = models == null ? List.of() : List.copyOf(models);
    prefix = prefix == null ? "" : prefix;
  }

  byte[] hashBytes() {
    return HexFormat.of().parseHex(sha256);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public boolean expiredAt(long now) {
    return expiresAt != null && expiresAt <= now;
  }

  /** {@code revoked}, {@code expired} or {@code active}, as {@code keys list} and {@code /status} show it. */
  public String state(long now) {
    return revoked() ? "revoked" : expiredAt(now) ? "expired" : "active";
  }

  /** Whether this key may use {@code model} ({@code provider/model}). */
  public boolean allows(String model) {
    return models.isEmpty() || models.contains(model);
  }

  ClientKey revokedAt(long at) {
    return new ClientKey(name, sha256, prefix, agent, models, createdAt, expiresAt, at);
  }
}
