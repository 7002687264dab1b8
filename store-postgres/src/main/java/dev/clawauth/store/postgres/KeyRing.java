package dev.clawauth.store.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys a host holds: the current one seals, every one opens what it sealed. Keys are
 * named by an id derived from them (a digest prefix), which is stored beside each sealed value and
 * tells nothing about the key.
 */
final class KeyRing {
  private final String currentId;
  private final Map<String, SecretKey> keys;

  private KeyRing(String currentId, Map<String, SecretKey> keys) {
    this.currentId = currentId;
    this.keys = keys;
  }

  static KeyRing of(List<byte[]> raw) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (byte[] k : raw) {
      keys.putIfAbsent(idOf(k), new SecretKeySpec(k, "AES"));
    }
    return new KeyRing(idOf(raw.get(0)), keys);
  }

  /** A key as written in a key file or variable: base64 of 32 bytes. */
  static byte[] decode(String text, String where) throws IOException {
    byte[] k;
    try {
      k = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IOException("the key in " + where + " is not base64 (make one with `clawauth store keygen`)");
    }
    if (k.length != 32) {
      throw new IOException("the key in " + where + " has " + k.length + " bytes; an AES-256 key has 32"
          + " (make one with `clawauth store keygen`)");
    }
    return k;
  }

  static String idOf(byte[] key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(concat("clawauth-store-key-id:".getBytes(StandardCharsets.UTF_8), key));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  String currentId() {
    return currentId;
  }

  SecretKey current() {
    return keys.get(currentId);
  }

  Optional<SecretKey> get(String id) {
    return Optional.ofNullable(keys.get(id));
  }
}
