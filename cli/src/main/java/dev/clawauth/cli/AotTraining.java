package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.credentials.KeyShapes;
import dev.clawauth.state.Environment;
import dev.clawauth.status.StatusReport;
import dev.clawauth.store.Credential;
import dev.clawauth.store.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The launcher's AOT-cache training run (JDK 25) records only the classes one command loads, and
 * that command's state directory uses one store. After it, this reads a status from a store of
 * the other kind, so that the cache serves state directories of both OpenClaw eras: without it,
 * a CLI run on OpenClaw 2026.9's SQLite store loaded some 360 classes from the jar and took about
 * 300 ms more CPU here.
 */
final class AotTraining {
  static final String VARIABLE = "CLAWAUTH_AOT_TRAINING";

  private AotTraining() {}

  static void runIfAsked() {
    if (!"1".equals(System.getenv(VARIABLE))) {
      return;
    }
    try {
      Path root = Files.createTempDirectory("clawauth-aot-training");
      try {
        for (String store : new String[] {"file", "sqlite"}) {
          Path state = root.resolve(store);
          Environment env = new Environment(Map.of("OPENCLAW_STATE_DIR", state.toString(), "CLAWAUTH_STORE", store),
              root, root);
          AgentContext ctx = AgentContext.open(env, null, Clock.systemUTC());
          ctx.store().update(doc -> {
            doc.putProfile("anthropic:training", new Credential.ApiKey("anthropic",
                new Secret(KeyShapes.ANTHROPIC_API_KEY_PREFIX + "TRAINING-NOT-A-KEY-000000"), null));
            doc.setOrder("anthropic", java.util.List.of("anthropic:training"));
            return null;
          });
          AgentContext reopened = AgentContext.open(env, null, Clock.systemUTC());
          StatusText.render(StatusReport.build(reopened), reopened);
        }
      } finally {
        try (var files = Files.walk(root)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (Exception | LinkageError e) {
      // A training run that fails only makes a smaller cache.
    }
  }
}
