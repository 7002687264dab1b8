package dev.clawauth.store;

/**
 * One stored credential, as the three profile types of auth-profiles.json. Unknown fields of the
 * stored profile are not modelled here; the store keeps them in its tree.
 */
public sealed interface Credential permits Credential.ApiKey, Credential.Token, Credential.OAuth {

  String provider();

  /** The email shown beside the profile, or null. */
  String email();

  /** The type as written in the file. */
  String type();

  record ApiKey(String provider, Secret key, String email) implements Credential {
    @Override
    public String type() {
      return "api_key";
    }
  }

  /** A long-lived bearer token; {@code expires} 0 means it never expires. */
  record Token(String provider, Secret token, long expires, String email) implements Credential {
    @Override
    public String type() {
      return "token";
    }

    public boolean expiredAt(long now) {
      return expires > 0 && expires <= now;
    }
  }

  /**
   * An OAuth grant. {@code reloginReason} is set when a refresh failed terminally
   * (e.g. {@code invalid_grant}); such a profile needs a new login, not a retry.
   */
  record OAuth(String provider, Secret access, Secret refresh, long expires, String accountId,
      String email, String reloginReason) implements Credential {
    @Override
    public String type() {
      return "oauth";
    }

    public boolean canRefresh() {
      return !refresh.isEmpty() && reloginReason == null && fence().isEmpty();
    }

    /** OpenClaw 2026.9's refresh fence, when the profile holds one instead of tokens. */
    public java.util.Optional<OAuthFence> fence() {
      return access.value().startsWith(OAuthFence.PREFIX)
          ? OAuthFence.parse(access.value(), refresh.value(), expires) : java.util.Optional.empty();
    }

    /** Whether another program (OpenClaw) is refreshing it right now: its tokens are out of the store. */
    public boolean refreshPending() {
      return fence().map(f -> f.state() == OAuthFence.State.PENDING).orElse(false);
    }

    public boolean needsRelogin() {
      return reloginReason != null;
    }
  }
}
