package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.state.Environment;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What a {@link LoginProvider} gets to run its flow: the agent (for its config's endpoint
 * overrides), the user, the options, the process environment (for remote-host detection), an HTTP
 * client, a clock and a source of randomness.
 */
public record LoginSession(AgentContext agent, Prompter prompter, LoginOptions options,
    Environment environment, HttpClient http, Clock clock, SecureRandom random) {

  public static LoginSession of(AgentContext agent, Prompter prompter, LoginOptions options,
      Environment environment, HttpClient http) {
    return new LoginSession(agent, prompter, options, environment, http, agent.clock(), new SecureRandom());
  }
}
