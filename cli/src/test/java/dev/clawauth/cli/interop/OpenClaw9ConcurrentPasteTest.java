package dev.clawauth.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawauth.cli.ClawauthProcess;
import dev.clawauth.testing.TestSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Six OpenClaw 2026.9 and six Clawauth {@code paste-token} processes started together on one
 * 2026.9 state directory (set up by OpenClaw's onboard), three rounds, each with its own profile
 * id and token: afterwards every profile of every Clawauth command that exited 0 is in the store
 * with its own token, and so is every profile OpenClaw said it saved. An OpenClaw process that
 * gives up on contention is recorded (in the test's output and the e2e log) and not counted.
 * Needs {@code OPENCLAW_BIN}; skipped without it. Takes a few minutes on two cores.
 */
@EnabledIfEnvironmentVariable(named = "OPENCLAW_BIN", matches = ".+",
    disabledReason = "OPENCLAW_BIN is not set: install the 2026.9 CLI with "
        + ".ci/install-openclaw-2026.9.sh DIR and export OPENCLAW_BIN=DIR/openclaw")
class OpenClaw9ConcurrentPasteTest {
  static final String TOKEN = TestSecrets.get("OC9_CONCURRENT_TOKEN");
  static final int ROUNDS = 3;
  static final int EACH = 6;

  /** One paste process: which tool, the profile it was asked to save, the token it was given. */
  record Paste(String tool, String profileId, String token, Process process) {}

  record Outcome(Paste paste, int exitCode, String stdout, String stderr) {
    /** OpenClaw prints "Auth profile: <id> (anthropic/token)" once the profile is stored. */
    boolean saidSaved() {
      return exitCode == 0 && stdout.contains("Auth profile: " + paste.profileId() + " (anthropic/token)");
    }

    @Override
    public String toString() {
      return paste.tool() + " paste-token --profile-id " + paste.profileId() + ": exit " + exitCode
          + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  @Test
  void sixOpenClawAndSixClawauthPastesAtOnceLoseNoProfile(@TempDir Path tmp) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path state = tmp.resolve("state");
    OpenClaw9 oc = new OpenClaw9(home, state);
    ClawauthProcess clawauth = new ClawauthProcess(home, state);
    OpenClaw9.Result onboard = oc.run(null, "onboard", "--non-interactive", "--accept-risk", "--skip-health",
        "--anthropic-api-key", TestSecrets.get("OC9_API_KEY"));
    assertThat(onboard.exitCode()).as("%s", onboard).isZero();

    Map<String, String> mustBeStored = new LinkedHashMap<>();
    List<Outcome> notCounted = new ArrayList<>();
    int clawauthSaved = 0;
    int openClawSaved = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      long started = System.nanoTime();
      List<Outcome> outcomes = round(oc, clawauth, round);
      for (Outcome o : outcomes) {
        boolean counted = o.paste().tool().equals("clawauth") ? o.exitCode() == 0 : o.saidSaved();
        if (counted) {
          mustBeStored.put(o.paste().profileId(), o.paste().token());
          if (o.paste().tool().equals("clawauth")) {
            clawauthSaved++;
          } else {
            openClawSaved++;
          }
        } else {
          notCounted.add(o);
        }
      }
      String summary = "round " + round + ": " + outcomes.stream().filter(o -> mustBeStored.containsKey(o.paste().profileId()))
          .count() + " of " + outcomes.size() + " saved, " + (System.nanoTime() - started) / 1_000_000 + " ms";
      System.out.println(summary);
      OpenClaw9.log("# concurrent paste " + summary);
    }
    for (Outcome o : notCounted) {
      System.out.println("not counted: " + o);
    }

    SoftAssertions softly = new SoftAssertions();
    // Clawauth's failures are not excused by the rule above, but they are shown here to be read.
    softly.assertThat(notCounted.stream().filter(o -> o.paste().tool().equals("clawauth")).map(Outcome::toString))
        .as("Clawauth pastes that failed").isEmpty();
    softly.assertThat(clawauthSaved).as("Clawauth pastes that exited 0").isPositive();
    softly.assertThat(openClawSaved).as("OpenClaw pastes that said they saved").isPositive();

    JsonNode profiles = OpenClaw9.sharedStore(state).path("profiles");
    for (var e : mustBeStored.entrySet()) {
      JsonNode p = profiles.path(e.getKey());
      softly.assertThat(p.isObject()).as("%s is in the shared store", e.getKey()).isTrue();
      softly.assertThat(e.getValue().equals(p.path("token").asText()))
          .as("%s holds the token its process pasted", e.getKey()).isTrue();
    }

    OpenClaw9.Result theirs = oc.run(null, "models", "status", "--json", "--agent", "main");
    softly.assertThat(theirs.exitCode()).as("%s", theirs).isZero();
    ClawauthProcess.Result ours = clawauth.run("models", "status", "--json", "--agent", "main");
    softly.assertThat(ours.exitCode()).as("%s", ours).isZero();
    if (theirs.exitCode() == 0 && ours.exitCode() == 0) {
      JsonNode theirStatus = theirs.json();
      JsonNode ourStatus = OpenClaw9InteropTest.json(ours.stdout());
      softly.assertThat(OpenClaw9InteropTest.labels(theirStatus)).as("profiles OpenClaw shows")
          .containsAll(mustBeStored.keySet());
      softly.assertThat(OpenClaw9InteropTest.labels(ourStatus)).as("profiles Clawauth shows")
          .containsAll(mustBeStored.keySet());
      softly.assertThat(new TreeSet<>(OpenClaw9InteropTest.labels(ourStatus))).as("Clawauth's profiles vs OpenClaw's")
          .isEqualTo(new TreeSet<>(OpenClaw9InteropTest.labels(theirStatus)));
    }
    softly.assertAll();
  }

  /** Starts 6 + 6 pastes at once (each gets its token on stdin at once too), and waits for all. */
  private static List<Outcome> round(OpenClaw9 oc, ClawauthProcess clawauth, int round) throws Exception {
    List<Paste> pastes = new ArrayList<>();
    try {
      for (int i = 1; i <= EACH; i++) {
        String id = "anthropic:r" + round + "-oc-" + i;
        pastes.add(new Paste("openclaw", id, TOKEN + "-r" + round + "-oc-" + i,
            oc.start("models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", id)));
        id = "anthropic:r" + round + "-ca-" + i;
        pastes.add(new Paste("clawauth", id, TOKEN + "-r" + round + "-ca-" + i,
            clawauth.start("models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", id)));
      }
      List<CompletableFuture<String>> outs = new ArrayList<>();
      List<CompletableFuture<String>> errs = new ArrayList<>();
      for (Paste p : pastes) {
        outs.add(CompletableFuture.supplyAsync(() -> read(p.process().getInputStream())));
        errs.add(CompletableFuture.supplyAsync(() -> read(p.process().getErrorStream())));
        try (var in = p.process().getOutputStream()) {
          in.write(p.token().getBytes(StandardCharsets.UTF_8));
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OpenClaw9.DEADLINE_SECONDS);
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < pastes.size(); i++) {
        Paste p = pastes.get(i);
        long left = Math.max(0, deadline - System.nanoTime());
        assertThat(p.process().waitFor(left, TimeUnit.NANOSECONDS))
            .as("%s paste-token --profile-id %s finished within %d s", p.tool(), p.profileId(), OpenClaw9.DEADLINE_SECONDS)
            .isTrue();
        Outcome o = new Outcome(p, p.process().exitValue(), outs.get(i).join(), errs.get(i).join());
        OpenClaw9.log(o.toString());
        outcomes.add(o);
      }
      return outcomes;
    } finally {
      pastes.forEach(p -> OpenClaw9.stop(p.process()));
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
