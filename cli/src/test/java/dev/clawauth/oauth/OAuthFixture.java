package dev.clawauth.oauth;

import dev.clawauth.AgentContext;
import dev.clawauth.state.Environment;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A state directory whose config points an OAuth provider at a {@link FakeOAuthServer}. */
final class OAuthFixture {
  final Path home;
  final Path state;
  final Map<String, String> vars = new HashMap<>();
  final String redirectUri;
  final int callbackPort;

  OAuthFixture(Path tmp, FakeOAuthServer server, String provider) throws IOException {
    home = tmp.resolve("home");
    state = tmp.resolve("state");
    Files.createDirectories(home);
    Files.createDirectories(state);
    callbackPort = freePort();
    redirectUri = "http://localhost:" + callbackPort + "/auth/callback";
    Files.writeString(state.resolve("openclaw.json"), server.config(provider, redirectUri));
    vars.put("OPENCLAW_STATE_DIR", state.toString());
    vars.put("DISPLAY", ":0");
  }

  Environment environment() {
    return new Environment(Map.copyOf(vars), home, home);
  }

  AgentContext agent() throws Exception {
    return AgentContext.open(environment(), null, Clock.systemUTC());
  }

  Path storeFile() {
    return state.resolve("agents/main/agent/auth-profiles.json");
  }

  /** Stores an OAuth profile holding the server's initial tokens, expiring at {@code expires}. */
  String[] seedProfile(FakeOAuthServer server, String provider, String id, long expires) throws Exception {
    String[] t = server.issueInitial();
    agent().store().update(doc -> {
      doc.putProfile(id, new Credential.OAuth(provider, new Secret(t[0]), new Secret(t[1]), expires,
          FakeOAuthServer.ACCOUNT_ID, null, null));
      return null;
    });
    return t;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
