package dev.clawauth.credentials;

/** A profile id already holds a different credential, and the caller did not ask to replace it. */
public final class ProfileConflictException extends RuntimeException {
  private final String profileId;

  public ProfileConflictException(String profileId, String message) {
    super(message);
    this.profileId = profileId;
  }

  public String profileId() {
    return profileId;
  }
}
