package dev.clawauth.store;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenClaw 2026.9's refresh fence: the inert value an OAuth profile holds instead of its tokens
 * while a refresher has claimed its single-use refresh token ({@link State#PENDING}), or after
 * that refresh failed and the token may be spent ({@link State#FAILED}: a new login is needed).
 * Its strings carry a claim id and SHA-256 digests of the old tokens, never the tokens.
 */
public record OAuthFence(String claimId, State state, String accessDigest, String refreshDigest) {

  public enum State { PENDING, FAILED }

  static final String PREFIX = "openclaw-oauth-refresh-fence:v1:";
  private static final Pattern ACCESS =
      Pattern.compile("^openclaw-oauth-refresh-fence:v1:([a-f0-9]{32}):(failed:)?access:([a-f0-9]{64})$");
  private static final Pattern REFRESH =
      Pattern.compile("^openclaw-oauth-refresh-fence:v1:([a-f0-9]{32}):(failed:)?refresh:([a-f0-9]{64})$");

  /** The fence these values form, as OpenClaw tells one: both strings, one claim, {@code expires} exactly 1. */
  public static Optional<OAuthFence> parse(String access, String refresh, long expires) {
    if (expires != 1 || access == null || refresh == null) {
      return Optional.empty();
    }
    Matcher a = ACCESS.matcher(access);
    Matcher r = REFRESH.matcher(refresh);
    if (!a.matches() || !r.matches() || !a.group(1).equals(r.group(1))
        || (a.group(2) == null) != (r.group(2) == null)) {
      return Optional.empty();
    }
    return Optional.of(new OAuthFence(a.group(1), a.group(2) == null ? State.PENDING : State.FAILED,
        a.group(3), r.group(3)));
  }

  /**
   * A failed fence over these tokens, in OpenClaw's format: how a refresh token the provider
   * refused is recorded in its store, so both programs ask for a new login and neither sends it
   * again.
   */
  public static OAuthFence failedOver(String profileId, String provider, String access, String refresh) {
    byte[] claim = new byte[16];
    RANDOM.nextBytes(claim);
    return new OAuthFence(java.util.HexFormat.of().formatHex(claim), State.FAILED,
        digest(profileId, provider, "access", access), digest(profileId, provider, "refresh", refresh));
  }

  /** SHA-256 of {@code JSON.stringify(["openclaw.oauth-refresh-generation",1,id,provider,kind,secret])}. */
  static String digest(String profileId, String provider, String kind, String secret) {
    var input = dev.clawauth.json.Json.NODES.arrayNode().add("openclaw.oauth-refresh-generation").add(1)
        .add(profileId).add(provider).add(kind).add(secret);
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256")
          .digest(dev.clawauth.json.JsonText.compact(input).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** The same claim marked failed: what a refresher writes when it cannot say the token is unspent. */
  public OAuthFence failed() {
    return new OAuthFence(claimId, State.FAILED, accessDigest, refreshDigest);
  }

  public String accessValue() {
    return PREFIX + claimId + ":" + (state == State.FAILED ? "failed:" : "") + "access:" + accessDigest;
  }

  public String refreshValue() {
    return PREFIX + claimId + ":" + (state == State.FAILED ? "failed:" : "") + "refresh:" + refreshDigest;
  }
}
