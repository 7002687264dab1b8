package dev.clawauth.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.AgentContext;
import dev.clawauth.env.EnvSources;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.select.Candidates;
import dev.clawauth.state.Environment;
import dev.clawauth.status.StatusReport;
import dev.clawauth.store.FileStore;
import dev.clawauth.store.StoreDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process hot paths of {@code models status} on the same 50-profile store as
 * {@code bench/cli-status.sh}: parsing the store, choosing candidates for a provider, and building
 * the status document. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StatusBenchmarks {
  private Path dir;
  private Path storeFile;
  private String storeText;
  private AgentContext agent;
  private StoreDocument doc;
  private EnvSources env;
  private List<String> pending;
  private long now;

  @Setup(Level.Trial)
  public void setUp() throws IOException, JsonFileException {
    dir = Files.createTempDirectory("clawauth-jmh");
    Path state = dir.resolve("state");
    now = System.currentTimeMillis();
    storeFile = state.resolve("agents/main/agent/auth-profiles.json");
    Files.createDirectories(storeFile.getParent());
    storeText = BenchStore.json(now);
    Files.writeString(storeFile, storeText);
    Files.writeString(state.resolve("openclaw.json"),
        "{ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-5.2'] } } } }\n");
    Environment environment = new Environment(Map.of("OPENCLAW_STATE_DIR", state.toString(),
        "HOME", dir.toString()), dir, dir);
    agent = AgentContext.open(environment, null, Clock.systemUTC());
    doc = agent.store().read();
    env = agent.env();
    pending = agent.store().pendingImports();
    if (doc.profiles().size() != 50) {
      throw new IllegalStateException("expected 50 profiles, got " + doc.profiles().size());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Reading and parsing the 50-profile file, as every command does once. */
  @Benchmark
  public StoreDocument parseStore() throws IOException, JsonFileException {
    return new FileStore(storeFile).readStored();
  }

  /** Choosing the profiles to try for a provider with 21 profiles, an order and a cooldown. */
  @Benchmark
  public Candidates.Result candidatesForProvider() {
    return Candidates.forProvider("anthropic", doc, agent.config(), now, null);
  }

  /** The whole status document from an already read store. */
  @Benchmark
  public ObjectNode statusReport() {
    return StatusReport.build(agent, doc, pending, env, now);
  }
}
