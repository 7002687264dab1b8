package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.store.Credential;
import java.io.IOException;

/**
 * Gives an OAuth profile's access token ready to use, refreshing it first when it is due.
 *
 * <p>Implementations refresh at most once per account at a time, across threads and processes, and
 * never blank a stored credential when a refresh fails.
 */
public interface OAuthRefresher {

  /** Returns the profile's credential with an access token that is valid now. */
  Credential.OAuth ensureFresh(AgentContext agent, String profileId) throws IOException, RefreshException;

  /** Uses stored tokens as they are; fails once they have expired. For callers without network. */
  OAuthRefresher STORED_ONLY = (agent, profileId) -> {
    try {
      Credential c = agent.store().read().profile(profileId)
          .orElseThrow(() -> new RefreshException(profileId, "profile not found", true));
      if (!(c instanceof Credential.OAuth o)) {
        throw new RefreshException(profileId, "not an OAuth profile", true);
      }
      if (o.expires() <= agent.clock().millis()) {
        throw new RefreshException(profileId, "access token expired and refresh is not available here", false);
      }
      return o;
    } catch (dev.clawauth.json.JsonFileException e) {
      throw new IOException(e.getMessage(), e);
    }
  };
}
