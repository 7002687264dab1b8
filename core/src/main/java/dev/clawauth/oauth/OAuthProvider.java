package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.store.Credential;
import java.io.IOException;
import java.net.http.HttpClient;

/**
 * A login provider whose credentials are OAuth grants that it can also refresh. {@link TokenRefresher}
 * finds it by {@link #provider()} and calls {@link #refresh} under the store lock.
 */
public interface OAuthProvider extends LoginProvider {

  /**
   * Exchanges {@code current}'s refresh token for new tokens. Never stores anything.
   *
   * @throws TokenEndpointException when the token endpoint refused or could not be reached
   */
  Credential.OAuth refresh(AgentContext agent, HttpClient http, Credential.OAuth current, long now)
      throws TokenEndpointException, IOException;
}
