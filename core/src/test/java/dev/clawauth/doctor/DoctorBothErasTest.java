package dev.clawauth.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawauth.AgentContext;
import dev.clawauth.env.ShellEnv;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import dev.clawauth.testing.OpenClawDb;
import dev.clawauth.testing.StateFixture;
import dev.clawauth.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor on state directories of both OpenClaw eras, and on what each era's OpenClaw leaves behind. */
class DoctorBothErasTest {
  @TempDir
  Path root;
  StateFixture f;

  @BeforeEach
  void state() throws Exception {
    f = new StateFixture(root);
    Files.createDirectories(f.state);
    // Keeps the default model's provider from being a finding in every test.
    f.set("ANTHROPIC_API_KEY", TestSecrets.get("ANTHROPIC_KEY"));
  }

  private Doctor doctor() {
    ShellEnv noLoginShell = (e, t) -> Map.of();
    return new Doctor(f.env(), null, Clock.systemUTC(), noLoginShell);
  }

  private static List<String> codes(Doctor.Examination x) {
    return x.findings().stream().map(Finding::code).toList();
  }

  private static Finding find(Doctor.Examination x, String code) {
    return x.findings().stream().filter(fi -> fi.code().equals(code)).findFirst().orElseThrow(
        () -> new AssertionError("no " + code + " in " + codes(x)));
  }

  private void put(AgentContext ctx, String id, String secretName) throws Exception {
    ctx.store().update(doc -> {
      doc.putProfile(id, new Credential.ApiKey("anthropic", new Secret(TestSecrets.get(secretName)), null));
      return null;
    });
  }

  @Test
  void aConfigOrderNamingAnotherAgentsProfileIsLeftAloneAndOnlyIdsNoAgentHoldsAreRemoved() throws Exception {
    OpenClawDb.sharedDb(f.state);
    f.writeConfig("""
        // OpenClaw 2026.9 writes one global order naming profiles of several agents.
        { agents: { ownership: "explicit", defaults: { systemAgent: { agentId: "main" } },
            entries: { main: {}, work: {} } },
          auth: { order: { anthropic: ["anthropic:work", "anthropic:main", "anthropic:gone"] } } }
        """);
    put(f.open(0), "anthropic:main", "ANTHROPIC_KEY");
    put(f.open("work", 0), "anthropic:work", "ANTHROPIC_KEY_2");

    Doctor.Examination x = doctor().examine();
    Finding dangling = find(x, "dangling-config-order");
    assertThat(dangling.what()).contains("anthropic:gone").doesNotContain("anthropic:work");
    doctor().repair(x);
    assertThat(Files.readString(f.config())).contains("// OpenClaw 2026.9 writes one global order")
        .contains("[\"anthropic:work\", \"anthropic:main\"]");
    assertThat(codes(doctor().examine())).doesNotContain("dangling-config-order");
  }

  @Test
  void aLegacyFileBesideTheSqliteStoreThatBlocksOpenClawIsImportedAsOpenClawsDoctorDoes() throws Exception {
    OpenClawDb.sharedDb(f.state);
    put(f.open(0), "anthropic:shared", "ANTHROPIC_KEY");
    f.writeStore("main", """
        {"version":1,"profiles":{
          "anthropic:shared":{"type":"api_key","provider":"anthropic","key":"%s"},
          "anthropic:old":{"type":"api_key","provider":"anthropic","key":"%s"}},
         "order":{"anthropic":["anthropic:old","anthropic:shared"]}}
        """.formatted(TestSecrets.get("ANTHROPIC_KEY_2"), TestSecrets.get("ANTHROPIC_KEY_2")));

    Doctor.Examination x = doctor().examine();
    Finding legacy = find(x, "legacy-store-beside-sqlite");
    assertThat(legacy.severity()).as("OpenClaw 2026.9 refuses main's commands").isEqualTo(Severity.ERROR);
    assertThat(legacy.what()).contains("only the file holds anthropic:old").contains("anthropic:shared differs");
    doctor().repair(x);

    var doc = f.open(0).store().read();
    assertThat(doc.profiles()).containsKeys("anthropic:shared", "anthropic:old");
    assertThat(((Credential.ApiKey) doc.profile("anthropic:shared").orElseThrow()).key().value())
        .as("ids already in the store win").isEqualTo(TestSecrets.get("ANTHROPIC_KEY"));
    assertThat(doc.order("anthropic")).contains(List.of("anthropic:old", "anthropic:shared"));
    assertThat(f.store("main")).doesNotExist();
    try (var archived = Files.list(f.agentDir("main"))) {
      assertThat(archived.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("auth-profiles.json.migrated-"));
    }
    assertThat(codes(doctor().examine())).doesNotContain("legacy-store-beside-sqlite");
  }

  @Test
  void aProfileA2026_1WriteDroppedFromAuthProfilesIsDeclaredAgain() throws Exception {
    f.writeConfig("""
        { auth: { profiles: { "anthropic:a": { provider: "anthropic", mode: "api_key" } } } } // kept
        """);
    AgentContext ctx = f.open(0);
    put(ctx, "anthropic:a", "ANTHROPIC_KEY");
    put(ctx, "anthropic:b", "ANTHROPIC_KEY_2");
    Doctor.Examination x = doctor().examine();
    assertThat(find(x, "undeclared-profile").what()).contains("anthropic:b");
    doctor().repair(x);
    assertThat(f.open(0).config().authProfiles()).containsKeys("anthropic:a", "anthropic:b");
    assertThat(Files.readString(f.config())).contains("// kept");
    assertThat(codes(doctor().examine())).doesNotContain("undeclared-profile");
  }

  /** OpenClaw 2026.9 keeps ChatGPT OAuth as provider openai; an openai-codex one it never refreshes. */
  @Test
  void aCodexProfileStoredAsOpenaiCodexBesideOpenClaw9IsNamedLegacyButOpenaiIsNot() throws Exception {
    OpenClawDb.sharedDb(f.state);
    long in1h = System.currentTimeMillis() + 3_600_000L;
    f.open(0).store().update(doc -> {
      doc.putProfile("openai-codex:old", new Credential.OAuth("openai-codex", new Secret("eyFAKE-doctor-codex-access-0001"),
          new Secret("rt-FAKE-doctor-codex-0001"), in1h, "acct-1", null, null));
      doc.putProfile("openai:new", new Credential.OAuth("openai", new Secret("eyFAKE-doctor-codex-access-0002"),
          new Secret("rt-FAKE-doctor-codex-0002"), in1h, "acct-1", null, null));
      return null;
    });
    Doctor.Examination x = doctor().examine();
    Finding legacy = find(x, "legacy-codex-id");
    assertThat(legacy.what()).contains("openai-codex:old").doesNotContain("openai:new");
    assertThat(legacy.why()).contains("renames it openai:old");
    assertThat(legacy.fix()).contains("clawauth models auth login --provider openai-codex");
    assertThat(x.findings().stream().filter(fi -> fi.code().equals("legacy-codex-id")).count()).isEqualTo(1);
  }
}
