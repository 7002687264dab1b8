package dev.clawauth.cli;

import dev.clawauth.credentials.KeyShapes;
import dev.clawauth.credentials.KeyShapes.CredentialKind;
import dev.clawauth.store.Providers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "setup-token", description = {
    "Create an Anthropic subscription token with `claude setup-token` and store it.",
    "On a terminal with the Claude Code CLI on PATH it runs `claude setup-token` and keeps the token",
    "it prints; otherwise it explains how to make one elsewhere and asks for it (hidden), or reads",
    "it from standard input when that is piped."})
public final class SetupTokenCommand implements Callable<Integer> {
  private static final Pattern TOKEN = Pattern.compile(Pattern.quote(KeyShapes.SETUP_TOKEN_PREFIX) + "[A-Za-z0-9_-]+");
  private static final Pattern ANSI = Pattern.compile("\u001B(\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(\u0007|\u001B\\\\)|[@-Z\\\\-_])");

  @Spec
  CommandSpec spec;
  @Mixin
  AgentOption agent;
  @Option(names = "--provider", defaultValue = "anthropic", paramLabel = "<id>",
      description = "Provider id; only anthropic has a setup-token (default: anthropic).")
  String provider;
  @Option(names = "--profile-id", paramLabel = "<id>", description = "Auth profile id (default: anthropic:manual).")
  String profileId;
  @Option(names = "--expires-in", paramLabel = "<duration>", description = "Optional expiry (e.g. 365d).")
  String expiresIn;

  @Override
  public Integer call() throws Exception {
    if (!Providers.normalize(provider).equals("anthropic")) {
      throw new CliException("setup-token exists for anthropic only; for " + Providers.normalize(provider)
          + " use `clawauth models auth paste-token --provider " + Providers.normalize(provider) + "`.");
    }
    var plan = CredentialPaste.plan(agent.open(), "anthropic", CredentialKind.TOKEN, profileId, expiresIn,
        agent.agentId);
    PrintWriter out = spec.commandLine().getOut();
    String token;
    if (!Tty.stdinIsTerminal()) {
      token = SecretInput.fromStdin();
      if (token.isEmpty()) {
        throw new CliException("No terminal to run `claude setup-token` on and no token on standard input:"
            + " run `claude setup-token` where you have a terminal, then pipe the token into"
            + " `clawauth models auth setup-token` (or paste-token --provider anthropic).");
      }
    } else {
      token = fromClaude(out).orElseGet(() -> {
        try (Prompts p = Prompts.open()) {
          return p.secret(CredentialPaste.promptFor(plan)).strip();
        }
      });
    }
    CredentialPaste.validate(plan, token);
    var saved = CredentialPaste.store(plan, token, dev.clawauth.credentials.ProfileWriter.OnConflict.REPLACE);
    CredentialPaste.report(plan.ctx(), saved, out);
    return 0;
  }

  /** Runs {@code claude setup-token} on the terminal and picks the token out of what it printed. */
  static Optional<String> fromClaude(PrintWriter out) throws IOException, InterruptedException {
    Optional<Path> claude = onPath("claude");
    if (claude.isEmpty()) {
      out.println("The Claude Code CLI (`claude`) is not on PATH. On any machine where it is installed,");
      out.println("run `claude setup-token`, then paste the token it prints (" + KeyShapes.SETUP_TOKEN_PREFIX
          + "...) below.");
      out.flush();
      return Optional.empty();
    }
    out.println("Running `" + claude.get() + " setup-token`; follow its instructions.");
    out.flush();
    List<String> cmd = new ArrayList<>();
    Optional<Path> script = onPath("script");
    if (script.isPresent()) {
      // script(1) gives claude a terminal of its own while we still see what it prints.
      cmd.addAll(List.of(script.get().toString(), "-qfec", shellQuote(claude.get().toString()) + " setup-token",
          "/dev/null"));
    } else {
      cmd.addAll(List.of(claude.get().toString(), "setup-token"));
    }
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) > 0) {
        System.out.write(buf, 0, n);
        System.out.flush();
        if (seen.size() < 4 * 1024 * 1024) {
          seen.write(buf, 0, n);
        }
      }
    }
    int code = p.waitFor();
    String text = ANSI.matcher(seen.toString(StandardCharsets.UTF_8)).replaceAll("");
    String found = null;
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      found = m.group();
    }
    if (code != 0) {
      out.println("`claude setup-token` exited with code " + code + "; paste the token yourself if you have one.");
      out.flush();
      return Optional.empty();
    }
    if (found == null || KeyShapes.problem("anthropic", CredentialKind.TOKEN, found, "").isPresent()) {
      out.println("Could not read a complete token from its output; paste it below.");
      out.flush();
      return Optional.empty();
    }
    out.println("Captured the token from `claude setup-token`.");
    out.flush();
    return Optional.of(found);
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
