package dev.clawauth.gateway;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.clawauth.oauth.OAuthRefresher;
import dev.clawauth.state.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A state dir with a config and a store, a fake provider, and a gateway in front of it. */
final class GatewayFixture implements AutoCloseable {
  final Path home;
  final Path state;
  final Path store;
  final FakeProvider provider;
  final Map<String, String> envVars = new HashMap<>();
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
  Gateway gateway;
  GatewaySettings settings = GatewaySettings.defaults().withPort(0);
  OAuthRefresher refresher = OAuthRefresher.STORED_ONLY;
  /** The agent for requests that name none ({@code clawauth gateway --agent}); null: the config's default. */
  String agent;

  GatewayFixture(Path tmp) throws IOException {
    home = tmp.resolve("home");
    state = tmp.resolve("state");
    store = state.resolve("agents/main/agent/auth-profiles.json");
    Files.createDirectories(store.getParent());
    provider = new FakeProvider();
    envVars.put("OPENCLAW_STATE_DIR", state.toString());
    config("");
  }

  /** Writes openclaw.json: the fake provider as every provider's base URL, plus {@code extra} keys. */
  GatewayFixture config(String extra) throws IOException {
    String base = provider.baseUrl();
    Files.writeString(state.resolve("openclaw.json"), "{\n  models: { providers: {\n"
        + "    anthropic: { baseUrl: '" + base + "' },\n"
        + "    openai: { baseUrl: '" + base + "/v1' },\n"
        + "    'openai-codex': { baseUrl: '" + base + "/backend-api' },\n"
        + "    openrouter: { baseUrl: '" + base + "/api' } } },\n" + extra + "\n}\n");
    return this;
  }

  GatewayFixture store(String json) throws IOException {
    Files.writeString(store, json);
    return this;
  }

  GatewayFixture start() throws Exception {
    Environment env = new Environment(envVars, home, home);
    Files.createDirectories(home);
    gateway = Gateway.start(env, agent, settings, refresher, Clock.systemUTC(), log);
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + gateway.port();
  }

  String token() {
    return gateway.token().value();
  }

  AnthropicClient anthropic() {
    return AnthropicOkHttpClient.builder().baseUrl(url()).apiKey(token()).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  OpenAIClient openai() {
    return OpenAIOkHttpClient.builder().baseUrl(url() + "/v1").apiKey(token()).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close();
    }
    provider.close();
  }

  static String apiKeyProfile(String provider, String key) {
    return "{\"type\":\"api_key\",\"provider\":\"" + provider + "\",\"key\":\"" + key + "\"}";
  }

  static String tokenProfile(String provider, String token) {
    return "{\"type\":\"token\",\"provider\":\"" + provider + "\",\"token\":\"" + token + "\"}";
  }

  static String oauthProfile(String provider, String access, String accountId) {
    return "{\"type\":\"oauth\",\"provider\":\"" + provider + "\",\"access\":\"" + access
        + "\",\"refresh\":\"r-" + access + "\",\"expires\":" + (System.currentTimeMillis() + 3_600_000L)
        + (accountId == null ? "" : ",\"accountId\":\"" + accountId + "\"") + "}";
  }

  /** A store with the given {@code "id": profile} entries. */
  static String storeJson(String... idAndProfile) {
    StringBuilder sb = new StringBuilder("{\"version\":1,\"profiles\":{");
    for (int i = 0; i + 1 < idAndProfile.length; i += 2) {
      sb.append(i == 0 ? "" : ",").append('"').append(idAndProfile[i]).append("\":").append(idAndProfile[i + 1]);
    }
    return sb.append("}}").toString();
  }
}
