package dev.clawauth.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.config.ConfigFile;
import dev.clawauth.oauth.FakeOAuthServer;
import dev.clawauth.oauth.TestBrowser;
import dev.clawauth.testing.TestSecrets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ChatGPT (Codex) login by Clawauth on a state directory of the real OpenClaw 2026.9.6 is stored
 * the way 2026.9 stores its own: provider {@code openai}, id {@code openai:<email>}. OpenClaw's
 * {@code models status --json} then lists it as an openai OAuth profile its Codex route can use,
 * with no {@code openai-codex} (legacy) provider and no migration demand. Two OpenClaw commands.
 */
@EnabledIfEnvironmentVariable(named = "OPENCLAW_BIN", matches = ".+",
    disabledReason = "OPENCLAW_BIN is not set: install the 2026.9 CLI with "
        + ".ci/install-openclaw-2026.9.sh DIR and export OPENCLAW_BIN=DIR/openclaw")
class OpenClaw9CodexIdTest {
  static final String TOKEN = TestSecrets.get("OC9_TOKEN_MAIN");

  @Test
  void aCodexLoginByClawauthIsAnOpenaiOAuthProfileToOpenClaw(@TempDir Path tmp) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path state = tmp.resolve("state");
    OpenClaw9 oc = new OpenClaw9(home, state);
    // OpenClaw makes the directory (and its shared store) with a paste of its own.
    OpenClaw9InteropTest.ok(oc.run(TOKEN, "models", "auth", "paste-token", "--provider", "anthropic"));
    Path config = state.resolve("openclaw.json");

    try (FakeOAuthServer server = new FakeOAuthServer()) {
      // The login's endpoints, for the login only: OpenClaw's strict schema has no auth.oauth.
      ConfigFile.update(config, root -> {
        ObjectNode auth = root.get("auth") instanceof ObjectNode a ? a : root.putObject("auth");
        ObjectNode codex = auth.putObject("oauth").putObject("openai-codex");
        codex.put("authorizeUrl", server.authorizeUrl()).put("tokenUrl", server.tokenUrl())
            .put("clientId", FakeOAuthServer.CLIENT_ID).put("redirectUri", "http://localhost:1455/auth/callback");
      });
      ClawauthProcess clawauth = new ClawauthProcess(home, state);
      ClawauthProcess.Result login = pasteLogin(clawauth);
      assertThat(login.exitCode()).as("%s", login).isZero();
      assertThat(login.stdout()).contains("Auth profile: openai:" + FakeOAuthServer.EMAIL + " (openai/oauth)");
      ConfigFile.update(config, root -> ((ObjectNode) root.path("auth")).remove("oauth"));
    }

    String id = "openai:" + FakeOAuthServer.EMAIL;
    JsonNode stored = OpenClaw9.sharedStore(state).path("profiles").path(id);
    assertThat(stored.path("provider").asText()).isEqualTo("openai");
    assertThat(stored.path("type").asText()).isEqualTo("oauth");

    OpenClaw9.Result theirs = oc.run(null, "models", "status", "--json");
    OpenClaw9InteropTest.ok(theirs);
    JsonNode auth = theirs.json().path("auth");
    JsonNode profile = null;
    for (JsonNode p : auth.path("oauth").path("profiles")) {
      if (p.path("profileId").asText().equals(id)) {
        profile = p;
      }
    }
    assertThat(profile).as("OpenClaw lists %s: %s", id, theirs).isNotNull();
    assertThat(profile.path("provider").asText()).isEqualTo("openai");
    assertThat(profile.path("type").asText()).isEqualTo("oauth");
    assertThat(profile.path("expiresAt").asLong()).isEqualTo(stored.path("expires").asLong());
    assertThat(auth.path("providers").findValuesAsText("provider")).contains("openai").doesNotContain("openai-codex");
    JsonNode route = null;
    for (JsonNode r : auth.path("runtimeAuthRoutes")) {
      if (r.path("authProvider").asText().equals("openai")) {
        route = r;
      }
    }
    assertThat(route).as("OpenClaw's Codex route authenticates with provider openai: %s", theirs).isNotNull();
    assertThat(route.path("authStatus").asText()).isEqualTo("usable");
    assertThat(theirs.stdout() + theirs.stderr()).doesNotContain("AUTH_PROFILE_MIGRATION_REQUIRED")
        .doesNotContain("doctor --fix").doesNotContain("openai-codex");
  }

  /** {@code models auth login --provider openai-codex --paste}: the test plays the user's browser. */
  private static ClawauthProcess.Result pasteLogin(ClawauthProcess clawauth) throws Exception {
    Process p = clawauth.start("models", "auth", "login", "--provider", "openai-codex", "--paste");
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuffer err = new StringBuffer();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          err.append(l).append('\n');
          if (l.trim().startsWith("http")) {
            url.complete(l.trim());
          }
        }
      } catch (java.io.IOException gone) {
        // the process ended
      }
      url.complete(null);
    });
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return "";
      }
    });
    try {
      String authorize = url.get(60, TimeUnit.SECONDS);
      assertThat(authorize).as("%s", err).isNotNull();
      p.getOutputStream().write((TestBrowser.redirectOf(authorize) + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new ClawauthProcess.Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.toString());
    } finally {
      p.destroyForcibly();
    }
  }
}
