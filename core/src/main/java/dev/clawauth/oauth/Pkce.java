package dev.clawauth.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secrets of one authorization request (RFC 7636, S256): a verifier of 32 random bytes in
 * base64url without padding, its SHA-256 challenge, and a {@code state} of 16 random bytes in hex.
 */
public record Pkce(String verifier, String challenge, String state) {

  public static Pkce generate(SecureRandom random) {
    byte[] v = new byte[32];
    random.nextBytes(v);
    byte[] s = new byte[16];
    random.nextBytes(s);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(v);
    return new Pkce(verifier, challengeOf(verifier), HexFormat.of().formatHex(s));
  }

  public static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "Pkce[state=" + state + "]";
  }
}
