package dev.clawauth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Work that may take seconds is kept off the event loop: other connections are served meanwhile. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopStallGatewayTest {
  static final String SHELL_KEY = "sk-ant-api03-" + "s".repeat(40) + "SSSS";

  @TempDir
  Path tmp;
  GatewayFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  /** A login shell that takes 3 s and sets the provider's key (env.shellEnv, as OpenClaw reads it). */
  private Path slowShell() throws Exception {
    Path shell = tmp.resolve("slow-login-shell");
    Path runs = tmp.resolve("shell-runs");
    Files.writeString(shell, "#!/bin/sh\necho run >> '" + runs + "'\nsleep 3\nprintf 'ANTHROPIC_API_KEY="
        + SHELL_KEY + "\\0'\n");
    Files.setPosixFilePermissions(shell, PosixFilePermissions.fromString("rwx------"));
    f = new GatewayFixture(tmp);
    f.envVars.put("SHELL", shell.toString());
    f.envVars.put("OPENCLAW_LOAD_SHELL_ENV", "1");
    return runs;
  }

  private void awaitShellRuns(Path runs, int n) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((!Files.exists(runs) || Files.readAllLines(runs).size() < n) && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(Files.readAllLines(runs)).hasSize(n);
  }

  /** Milliseconds a /healthz on a new connection takes. */
  private long healthzMillis() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long t0 = System.nanoTime();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(f.url() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** One loop, so that every connection shares it. */
  private void startOnOneLoop() throws Exception {
    String before = System.getProperty("clawauth.gateway.loops");
    System.setProperty("clawauth.gateway.loops", "1");
    try {
      f.start();
    } finally {
      if (before == null) {
        System.clearProperty("clawauth.gateway.loops");
      } else {
        System.setProperty("clawauth.gateway.loops", before);
      }
    }
  }

  private static MessageCreateParams hello() {
    return MessageCreateParams.builder().model("claude-opus-4-5").maxTokens(64).addUserMessage("hello").build();
  }

  @Test
  void aLoginShellReadForTheEnvironmentDoesNotStopTheLoop() throws Exception {
    Path runs = slowShell();
    f.store("{\"version\":1,\"profiles\":{}}");
    startOnOneLoop();
    // No profile: the request falls to the environment, whose first read runs the login shell.
    CompletableFuture<Message> slow = CompletableFuture.supplyAsync(() -> f.anthropic().messages().create(hello()));
    awaitShellRuns(runs, 1);
    assertThat(healthzMillis()).as("ms for /healthz while another request waits for the login shell")
        .isLessThan(1_000);
    slow.get(20, TimeUnit.SECONDS);
    assertThat(f.provider.last().header("x-api-key")).isEqualTo(SHELL_KEY);
  }

  @Test
  void aConfigEditDuringAnAttemptDoesNotStopTheLoopWhenTheWalkReachesTheEnvironment() throws Exception {
    Path runs = slowShell();
    f.store(GatewayFixture.storeJson("anthropic:a",
        GatewayFixture.apiKeyProfile("anthropic", FailoverGatewayTest.KEY_A)));
    CountDownLatch answer = new CountDownLatch(1);
    f.provider.when(FailoverGatewayTest.KEY_A, (ex, s) -> {
      answer.await(20, TimeUnit.SECONDS);
      FakeProvider.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
          + "\"message\":\"invalid x-api-key\"}}").answer(ex, s);
    });
    startOnOneLoop();
    CompletableFuture<Message> slow = CompletableFuture.supplyAsync(() -> f.anthropic().messages().create(hello()));
    awaitShellRuns(runs, 1);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (f.provider.seen.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    // Profile a's attempt is upstream; an edit gives the agent a new context, whose environment
    // the config timer reads (the login shell again) while the walk goes on.
    f.config("agents: { defaults: { workspace: '/tmp/edited' } },");
    awaitShellRuns(runs, 2);
    answer.countDown();
    Thread.sleep(300);
    assertThat(healthzMillis()).as("ms for /healthz while the walk waits for the environment").isLessThan(1_000);
    slow.get(20, TimeUnit.SECONDS);
    assertThat(f.provider.last().header("x-api-key")).isEqualTo(SHELL_KEY);
  }
}
