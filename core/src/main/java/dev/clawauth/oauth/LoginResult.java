package dev.clawauth.oauth;

import dev.clawauth.store.Credential;

/**
 * The credential a login produced, the profile id it would be stored under unless the user chose
 * another, the config {@code mode} to record for it, and the model to make default when asked.
 */
public record LoginResult(String profileId, Credential credential, String mode, String defaultModel) {

  @Override
  public String toString() {
    return "LoginResult[" + profileId + ", " + credential.provider() + "/" + mode + "]";
  }
}
