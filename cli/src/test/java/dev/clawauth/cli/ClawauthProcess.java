package dev.clawauth.cli;

import dev.clawauth.testing.TestSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real shaded jar in a child JVM with a controlled environment: HOME and the state dir
 * point at temp dirs, and no provider key of the developer's own shell leaks in. Every child's
 * stdout and stderr is appended to {@code target/e2e-logs/}, which {@code bin/check-test-leaks}
 * searches for unmasked test secrets after the suite.
 */
public final class ClawauthProcess {
  public static final Path JAR = Path.of(System.getProperty("clawauth.jar", "target/clawauth.jar"));

  /** One log per test JVM, so parallel forks never interleave within a file. */
  public static final Path LOG = JAR.toAbsolutePath().getParent().resolve("e2e-logs")
      .resolve("e2e-" + ProcessHandle.current().pid() + ".log");

  /**
   * Class-data sharing for the children, made once per jar build by one training run and then
   * only read, so that concurrent children never see an archive being written. Each child JVM
   * starts noticeably faster on a loaded machine; without an archive the children run as before.
   */
  private static final List<String> CDS = cdsOptions();

  private final Map<String, String> env = new HashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private Path workingDir;
  private String umask;

  public ClawauthProcess(Path home, Path stateDir) {
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", home.toString());
    env.put("LANG", "C.UTF-8");
    if (stateDir != null) {
      env.put("OPENCLAW_STATE_DIR", stateDir.toString());
    }
    workingDir = home;
  }

  public ClawauthProcess env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  public ClawauthProcess workingDir(Path dir) {
    this.workingDir = dir;
    return this;
  }

  /** Adds a JVM option to every child, e.g. {@code -Dos.name=Mac OS X} to see the macOS code paths. */
  public ClawauthProcess jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /** Runs the child under this umask (e.g. "000"), through /bin/sh. */
  public ClawauthProcess umask(String mask) {
    this.umask = mask;
    return this;
  }

  public Result run(String... args) throws IOException, InterruptedException {
    return runWithInput(null, args);
  }

  public Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
    Process p = start(args);
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("clawauth " + String.join(" ", args) + " did not finish in 60 s");
    }
    Result r = new Result(p.exitValue(), out.join(), err.join());
    log(args, r);
    return r;
  }

  private static synchronized void log(String[] args, Result r) throws IOException {
    Files.createDirectories(LOG.getParent());
    // A client key printed by `gateway keys create` is random: no list of test secrets can hold it.
    Files.writeString(LOG, ("$ clawauth " + TestSecrets.redact(String.join(" ", args)) + "\n" + r + "\n")
        .replaceAll("clk_[A-Za-z0-9_-]{43}", "<client key>"),
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  /** A {@code clawauth gateway --port 0} child and the URL it announced. */
  public record Gateway(Process process, String url) {}

  /**
   * Starts {@code clawauth gateway --port 0} and waits for its "listening on" line; the rest of
   * its output is drained so that its log can never fill the pipe and stall it.
   */
  public Gateway startGateway() throws IOException {
    Process p = start("gateway", "--port", "0");
    java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)")
        .matcher(String.valueOf(line));
    if (!m.find()) {
      p.destroyForcibly();
      throw new IOException("the gateway did not start; its first line: " + line);
    }
    Thread.ofVirtual().start(() -> {
      try {
        out.transferTo(java.io.Writer.nullWriter());
      } catch (IOException ignored) {
        // the gateway stopped
      }
    });
    return new Gateway(p, m.group(1));
  }

  public Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (umask != null) {
      cmd.addAll(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(CDS);
    cmd.addAll(jvmOptions);
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-jar");
    cmd.add(JAR.toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  private static List<String> cdsOptions() {
    try {
      Path jar = JAR.toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        return List.of();
      }
      Path archive = jar.getParent().resolve("e2e-cds").resolve("clawauth-"
          + Files.getLastModifiedTime(jar).toMillis() + "-" + Files.size(jar) + ".jsa");
      List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
      if (!Files.exists(archive)) {
        Files.createDirectories(archive.getParent());
        Path tmp = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Path scratch = Files.createTempDirectory("clawauth-cds");
        try {
          List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:ArchiveClassesAtExit=" + tmp));
          cmd.addAll(quiet);
          cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(),
              "models", "status", "--json"));
          ProcessBuilder pb = new ProcessBuilder(cmd).directory(scratch.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
          pb.environment().clear();
          pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
          pb.environment().put("HOME", scratch.toString());
          pb.environment().put("OPENCLAW_STATE_DIR", scratch.resolve("state").toString());
          Process p = pb.start();
          if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(tmp) > 0) {
            Files.move(tmp, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } else {
            p.destroyForcibly();
          }
        } finally {
          Files.deleteIfExists(tmp);
          try (var walk = Files.walk(scratch)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        }
      }
      if (!Files.exists(archive)) {
        return List.of();
      }
      List<String> opts = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"));
      opts.addAll(quiet);
      return List.copyOf(opts);
    } catch (IOException | InterruptedException | RuntimeException e) {
      return List.of();
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** Copies a file of ../shared/spec/examples, or fails the test when the spec is not there. */
  public static Path specExample(String name) {
    for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
      Path p = base.resolve("src/test/resources/spec-examples").resolve(name);
      if (Files.exists(p)) {
        return p;
      }
      Path q = base.resolve("core/src/test/resources/spec-examples").resolve(name);
      if (Files.exists(q)) {
        return q;
      }
    }
    throw new IllegalStateException("spec example " + name + " not found");
  }
}
