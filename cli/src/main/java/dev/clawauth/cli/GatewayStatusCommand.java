package dev.clawauth.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.cli.service.Exec;
import dev.clawauth.cli.service.Host;
import dev.clawauth.cli.service.Launchd;
import dev.clawauth.cli.service.Systemd;
import dev.clawauth.cli.service.SystemdUnits;
import dev.clawauth.config.ClawConfig;
import dev.clawauth.gateway.GatewayAddress;
import dev.clawauth.gateway.GatewaySettings;
import dev.clawauth.hints.Durations;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.json.JsonText;
import dev.clawauth.state.Environment;
import dev.clawauth.state.StatePaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", header = "Is the gateway service installed and running (exit 0), or not (exit 3).", description = {
    "Is the gateway installed as a service, and is it running: state, pid, URL, uptime, "
        + "whether /healthz answers, and the last warning of its journal (or log file). "
        + "Without a service it reports whether a gateway answers at the URL recorded in the state dir.",
    "",
    "Exit codes: 0 running; 3 not running or not installed."})
final class GatewayStatusCommand implements Callable<Integer> {
  static final int NOT_RUNNING = 3;
  /** Enough of a log's end for its last few dozen lines; a months-old log is not read whole. */
  private static final int TAIL_BYTES = 64 * 1024;
  private static final DateTimeFormatter SYSTEMD_TIME =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Environment env = Environment.system();
    Host host = Host.current(env);
    Exec exec = new Exec(host);
    StatePaths paths = StatePaths.resolve(env);
    ObjectNode s = Json.object();
    boolean serviceRunning;
    Long pid = null;
    Optional<String> lastError;
    if (host.mac()) {
      Path file = host.gatewayServiceFile();
      s.put("manager", "launchd");
      s.put("unitPath", file.toString());
      s.put("installed", Files.exists(file));
      Launchd launchd = new Launchd(exec);
      pid = Files.exists(file) && launchd.usable() ? launchd.pid().orElse(null) : null;
      serviceRunning = pid != null;
      s.put("state", serviceRunning ? "running" : Files.exists(file) ? "stopped" : "not installed");
      lastError = lastProblem(paths.stateDir().resolve("logs").resolve("gateway.log"));
    } else {
      Path file = host.gatewayServiceFile();
      Systemd systemd = new Systemd(exec);
      Optional<String> unusable = systemd.unusable();
      s.put("manager", unusable.isPresent() ? "none" : "systemd");
      if (unusable.isPresent()) {
        s.put("managerUnavailable", unusable.get());
      }
      s.put("unitPath", file.toString());
      s.put("installed", Files.exists(file));
      Map<String, String> props = Files.exists(file) && unusable.isEmpty()
          ? systemd.show(SystemdUnits.GATEWAY, "ActiveState,SubState,MainPID,ExecMainStartTimestamp,Result")
          : Map.of();
      serviceRunning = "active".equals(props.get("ActiveState"));
      s.put("state", props.isEmpty() ? (Files.exists(file) ? "unknown" : "not installed")
          : props.getOrDefault("ActiveState", "unknown") + " (" + props.getOrDefault("SubState", "?") + ")");
      if (props.containsKey("Result") && !props.get("Result").equals("success")) {
        s.put("result", props.get("Result"));
      }
      pid = parsePid(props.get("MainPID"));
      Optional<Instant> started = pid == null ? Optional.empty() : startOf(pid, props.get("ExecMainStartTimestamp"));
      started.ifPresent(t -> s.put("uptimeSeconds", Duration.between(t, Instant.now()).toSeconds()));
      lastError = unusable.isEmpty() && Files.exists(file) ? systemd.lastWarning(SystemdUnits.GATEWAY)
          : lastProblem(paths.stateDir().resolve("logs").resolve("gateway.log"));
    }
    if (pid != null) {
      s.put("pid", pid);
      if (!s.has("uptimeSeconds")) {
        startOf(pid, null).ifPresent(t -> s.put("uptimeSeconds", Duration.between(t, Instant.now()).toSeconds()));
      }
    } else {
      s.putNull("pid");
    }
    String url = url(paths);
    s.put("url", url);
    boolean healthy = healthy(url);
    s.put("healthz", healthy);
    if (lastError.isPresent()) {
      s.put("lastError", lastError.get());
    } else {
      s.putNull("lastError");
    }
    boolean running = (s.path("installed").asBoolean() && !s.path("manager").asText().equals("none"))
        ? serviceRunning : healthy;
    s.put("running", running);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(JsonText.pretty(s));
    } else {
      out.print(text(s));
    }
    out.flush();
    return running ? 0 : NOT_RUNNING;
  }

  private static String text(ObjectNode s) {
    StringBuilder b = new StringBuilder();
    String manager = s.path("manager").asText();
    b.append(String.format("%-10s: %s%n", "Service", !s.path("installed").asBoolean()
        ? "not installed (`clawauth gateway install`; would be " + s.path("unitPath").asText() + ")"
        : (manager.equals("launchd") ? "launchd agent " : "systemd user unit ") + s.path("unitPath").asText()));
    if (s.has("managerUnavailable")) {
      b.append(String.format("%-10s: %s%n", "Manager", s.path("managerUnavailable").asText()));
    }
    StringBuilder state = new StringBuilder(s.path("state").asText());
    if (s.has("result")) {
      state.append(", last result ").append(s.path("result").asText());
    }
    if (!s.path("pid").isNull()) {
      state.append(", pid ").append(s.path("pid").asLong());
    }
    if (s.has("uptimeSeconds")) {
      state.append(", up ").append(Durations.remaining(s.path("uptimeSeconds").asLong() * 1000));
    }
    b.append(String.format("%-10s: %s%n", "State", state));
    b.append(String.format("%-10s: %s (/healthz %s)%n", "URL", s.path("url").asText(),
        s.path("healthz").asBoolean() ? "answers" : "does not answer"));
    if (!s.path("lastError").isNull()) {
      b.append(String.format("%-10s: %s%n", "Last error", s.path("lastError").asText()));
    }
    b.append(String.format("%-10s: %s%n", "Running", s.path("running").asBoolean() ? "yes" : "no"));
    return b.toString();
  }

  private static Long parsePid(String value) {
    try {
      long pid = value == null ? 0 : Long.parseLong(value);
      return pid > 0 ? pid : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** When the service's process started: from the process table, else from systemd's timestamp. */
  private static Optional<Instant> startOf(long pid, String timestamp) {
    Optional<Instant> fromProcess = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
    if (fromProcess.isPresent() || timestamp == null || timestamp.isBlank()) {
      return fromProcess;
    }
    try {
      return Optional.of(ZonedDateTime.parse(timestamp, SYSTEMD_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The recorded URL of a running gateway, else where one would listen by the config. */
  private static String url(StatePaths paths) {
    try {
      Optional<String> recorded = GatewayAddress.recorded(paths);
      if (recorded.isPresent()) {
        return recorded.get();
      }
      return "http://127.0.0.1:" + GatewaySettings.load(paths, ClawConfig.load(paths.configPath())).port();
    } catch (IOException | JsonFileException | RuntimeException e) {
      return "http://127.0.0.1:" + GatewaySettings.DEFAULT_PORT;
    }
  }

  private static boolean healthy(String url) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/healthz"))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The log file's last line that reads like a problem. */
  private static Optional<String> lastProblem(Path log) {
    try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
      long from = Math.max(0, file.length() - TAIL_BYTES);
      byte[] tail = new byte[(int) (file.length() - from)];
      file.seek(from);
      file.readFully(tail);
      List<String> lines = new String(tail, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).toLowerCase(Locale.ROOT);
        if (l.contains("error") || l.contains("warn") || l.contains("fail") || l.contains("exception")) {
          return Optional.of(lines.get(i).strip());
        }
      }
    } catch (IOException e) {
      // no log yet, or one that cannot be read: nothing to quote
    }
    return Optional.empty();
  }
}
