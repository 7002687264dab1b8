package dev.clawauth.cli.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.oauth.FakeOAuthServer;
import dev.clawauth.testing.Await;
import dev.clawauth.testing.TestSecrets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code clawauth gateway} processes, each with its own state directory as on its own
 * host, sharing one pool in PostgreSQL: one OAuth refresh for 3 x 32 simultaneous calls on an
 * expired profile, a 429 seen by one host honoured by the others, and every host answering from
 * its last pool while the database is down, catching up once it is back.
 */
class PostgresClusterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int HOSTS = 3;
  static final int THREADS = 32;
  static final String OLD_ACCESS = TestSecrets.get("OAUTH_ACCESS");
  static final String KEY_A = TestSecrets.get("OPENAI_KEY");
  static final String KEY_B = TestSecrets.get("OPENAI_KEY_CWD");

  @TempDir
  Path tmp;
  FakeOAuthServer oauth;
  HttpServer provider;
  final List<String> seen = new CopyOnWriteArrayList<>();
  final Set<String> limited = ConcurrentHashMap.newKeySet();
  final List<Process> gateways = new ArrayList<>();
  /** Each gateway's log (its stderr), read as it is written. */
  final List<StringBuffer> logs = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void tearDown() throws Exception {
    for (Process g : gateways) {
      g.destroy();
      g.waitFor(10, TimeUnit.SECONDS);
      g.destroyForcibly();
    }
    if (provider != null) {
      provider.stop(0);
    }
    if (oauth != null) {
      oauth.close();
    }
  }

  private void answer(HttpExchange ex) throws java.io.IOException {
    try (ex) {
      ex.getRequestBody().readAllBytes();
      String auth = String.valueOf(ex.getRequestHeaders().getFirst("authorization"));
      String key = ex.getRequestHeaders().getFirst("x-api-key");
      String credential = key != null ? key : auth.replaceFirst("^Bearer ", "");
      seen.add(credential);
      boolean chat = ex.getRequestURI().getPath().endsWith("/chat/completions");
      int status = limited.contains(credential) ? 429 : 200;
      String body = status == 429 ? "{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"
          : chat ? "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
              + "{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}"
          : "{\"id\":\"m1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
              + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(status, b.length);
      ex.getResponseBody().write(b);
    }
  }

  private record Host(ClawauthProcess cli, String url, String token) {}

  private HttpResponse<String> post(Host h, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(h.url() + path)).timeout(Duration.ofSeconds(60))
        .header("x-api-key", h.token()).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(Host h, String path) {
    try {
      return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(h.url() + path)).timeout(Duration.ofSeconds(10))
          .header("x-api-key", h.token()).build(), HttpResponse.BodyHandlers.ofString()).body());
    } catch (Exception e) {
      return JSON.nullNode();
    }
  }

  private static boolean coolingDown(JsonNode status, String id) {
    for (JsonNode u : status.path("auth").path("unusableProfiles")) {
      if (u.path("profileId").asText().equals(id)) {
        return true;
      }
    }
    return false;
  }

  static final String CLAUDE = "{\"model\":\"claude-opus-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
  static final String GPT = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

  @Test
  void threeHostsShareOneRefreshTheirCooldownsAndSurviveTheDatabaseGoingAway() throws Exception {
    PgHosts pg = new PgHosts(tmp);
    oauth = new FakeOAuthServer();
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    provider.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    provider.createContext("/", this::answer);
    provider.start();
    String base = "http://127.0.0.1:" + provider.getAddress().getPort();
    String openclaw = "{ models: { providers: { anthropic: { baseUrl: '" + base + "' }, openai: { baseUrl: '" + base
        + "/v1' } } }, auth: { oauth: { anthropic: { tokenUrl: '" + oauth.tokenUrl() + "', clientId: '"
        + FakeOAuthServer.CLIENT_ID + "' } } } }";

    // The pool: an expired OAuth grant and two OpenAI keys in a fixed order, moved in from files.
    String refresh = oauth.issueInitial()[1];
    ClawauthProcess seed = pg.filesHost("seed", openclaw);
    pg.writeFile("seed", "main", "{\"version\":1,\"profiles\":{"
        + "\"anthropic:claude\":{\"type\":\"oauth\",\"provider\":\"anthropic\",\"access\":\"" + OLD_ACCESS
        + "\",\"refresh\":\"" + refresh + "\",\"expires\":" + (System.currentTimeMillis() - 60_000) + "},"
        + "\"openai:a\":{\"type\":\"api_key\",\"provider\":\"openai\",\"key\":\"" + KEY_A + "\"},"
        + "\"openai:b\":{\"type\":\"api_key\",\"provider\":\"openai\",\"key\":\"" + KEY_B + "\"}},"
        + "\"order\":{\"openai\":[\"openai:a\",\"openai:b\"]}}");
    var moved = seed.run("store", "migrate", "--to", pg.url(), "--schema", pg.schema, "--key-file", "store.key");
    assertThat(moved.exitCode()).as(moved.stderr()).isZero();

    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < HOSTS; i++) {
      ClawauthProcess cli = pg.host("host" + i, openclaw);
      ClawauthProcess.Gateway g = cli.startGateway();
      gateways.add(g.process());
      StringBuffer log = new StringBuffer();
      logs.add(log);
      Thread.ofVirtual().start(() -> {
        try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(g.process().getErrorStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = err.readLine()) != null; ) {
            log.append(line).append('\n');
          }
        } catch (java.io.IOException stopped) {
          // the gateway was stopped
        }
      });
      hosts.add(new Host(cli, g.url(), cli.run("gateway", "token").stdout().strip()));
    }

    // 1. Every host's 32 threads at once on the expired grant: one token request in the cluster.
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> calls = new ArrayList<>();
    for (Host h : hosts) {
      for (int t = 0; t < THREADS; t++) {
        calls.add(pool.submit(() -> {
          go.await();
          return post(h, "/v1/messages", CLAUDE);
        }));
      }
    }
    go.countDown();
    for (Future<HttpResponse<String>> c : calls) {
      HttpResponse<String> r = c.get(120, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as("a call on the expired grant").isEqualTo(200);
    }
    assertThat(oauth.refreshRequests.get()).as("token requests in the whole cluster").isEqualTo(1);
    assertThat(seen).hasSize(HOSTS * THREADS).allMatch(oauth.latestAccess::equals, "the new access token");

    // 2. A 429 on host A: hosts B and C skip that key on their next request.
    seen.clear();
    limited.add(KEY_A);
    assertThat(post(hosts.get(0), "/v1/chat/completions", GPT).statusCode()).isEqualTo(200);
    assertThat(seen).containsExactly(KEY_A, KEY_B);
    long t0 = System.nanoTime();
    for (Host h : hosts.subList(1, HOSTS)) {
      Await.until("host " + h.url() + " sees openai:a cooling down", Duration.ofSeconds(10),
          () -> coolingDown(get(h, "/status"), "openai:a"));
    }
    System.out.printf("the 429 on host A was seen by hosts B and C after %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    for (Host h : hosts.subList(1, HOSTS)) {
      assertThat(post(h, "/v1/chat/completions", GPT).statusCode()).isEqualTo(200);
    }
    assertThat(seen).as("key a was sent once, by host A only").containsExactly(KEY_A, KEY_B, KEY_B, KEY_B);
    limited.clear();

    // 3. The database goes away mid-load: every host keeps answering from its last pool.
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    List<Future<?>> load = new ArrayList<>();
    for (Host h : hosts) {
      for (int t = 0; t < 4; t++) {
        load.add(pool.submit(() -> {
          while (loading.get()) {
            HttpResponse<String> r = post(h, "/v1/messages", CLAUDE);
            if (r.statusCode() == 200) {
              ok.incrementAndGet();
            } else {
              failures.add(r.statusCode() + " " + r.body());
            }
          }
          return null;
        }));
      }
    }
    Await.until("load under way", Duration.ofSeconds(30), () -> ok.get() > 50);
    pg.cluster.stop();
    int beforeOutage = ok.get();
    try {
      for (Host h : hosts) {
        Await.until("host " + h.url() + " reports the database down", Duration.ofSeconds(15),
            () -> get(h, "/healthz").path("status").asText().equals("degraded"));
      }
      JsonNode health = get(hosts.get(1), "/healthz");
      assertThat(health.path("store").path("readOnly").asBoolean()).isTrue();
      assertThat(health.path("store").path("reason").asText()).contains("127.0.0.1:" + pg.cluster.port())
          .doesNotContain(pg.cluster.password());
      assertThat(get(hosts.get(2), "/status").path("store").path("readOnly").asBoolean()).isTrue();
      Await.until("calls answered while the database is down", Duration.ofSeconds(30), () -> ok.get() > beforeOutage + 150);
    } finally {
      pg.cluster.start();
    }
    for (Host h : hosts) {
      Await.until("host " + h.url() + " reports the database back", Duration.ofSeconds(30),
          () -> get(h, "/healthz").path("status").asText().equals("ok"));
    }
    loading.set(false);
    for (Future<?> f : load) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertThat(failures).as("calls that failed during the outage").isEmpty();
    System.out.printf("%d calls answered during the load, %d of them with the database down or coming back%n",
        ok.get(), ok.get() - beforeOutage);

    // The pool catches up: a change made after the outage reaches every host.
    var order = hosts.get(0).cli().run("models", "auth", "order", "set", "--provider", "openai", "openai:b", "openai:a");
    assertThat(order.exitCode()).as(order.stderr()).isZero();
    seen.clear();
    for (Host h : hosts) {
      Await.until("host " + h.url() + " uses the new order", Duration.ofSeconds(10), () -> {
        seen.clear();
        try {
          return post(h, "/v1/chat/completions", GPT).statusCode() == 200 && seen.equals(List.of(KEY_B));
        } catch (Exception e) {
          return false;
        }
      });
    }
    pool.shutdownNow();

    // Each host said so in its log, once each way, without the password.
    Await.until("host B's log tells the database is back", Duration.ofSeconds(10),
        () -> logs.get(1).toString().contains("is reachable again"));
    String log = logs.get(1).toString();
    Files.writeString(ClawauthProcess.LOG, log, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(log).containsOnlyOnce("serving the last pool read, read-only").containsOnlyOnce("is reachable again")
        .contains("127.0.0.1:" + pg.cluster.port()).doesNotContain(pg.cluster.password());
  }
}
