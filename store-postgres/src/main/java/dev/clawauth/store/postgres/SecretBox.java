package dev.clawauth.store.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over a profile's secret fields: {@code 0x01 | 12-byte IV | ciphertext and tag}, a
 * fresh random IV each time, and the agent and profile id as associated data, so a sealed value
 * copied to another row does not open.
 */
final class SecretBox {
  private static final byte FORMAT = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretBox() {}

  static byte[] seal(SecretKey key, String agentId, String profileId, String plain) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(aad(agentId, profileId));
      byte[] body = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + IV_BYTES + body.length).put(FORMAT).put(iv).put(body).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /** @throws GeneralSecurityException when the key is not the one that sealed it, or the value was altered */
  static String open(SecretKey key, String agentId, String profileId, byte[] sealed) throws GeneralSecurityException {
    if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
      throw new GeneralSecurityException("not a sealed value of format " + FORMAT);
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, IV_BYTES));
    c.updateAAD(aad(agentId, profileId));
    return new String(c.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES), StandardCharsets.UTF_8);
  }

  private static byte[] aad(String agentId, String profileId) {
    return ("clawauth-pg-v1\0" + agentId + "\0" + profileId).getBytes(StandardCharsets.UTF_8);
  }
}
