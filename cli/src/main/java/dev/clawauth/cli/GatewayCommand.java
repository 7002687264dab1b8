package dev.clawauth.cli;

import dev.clawauth.AgentContext;
import dev.clawauth.gateway.BindAddress;
import dev.clawauth.gateway.Gateway;
import dev.clawauth.gateway.GatewayAddress;
import dev.clawauth.gateway.GatewaySettings;
import dev.clawauth.gateway.GatewayToken;
import dev.clawauth.oauth.TokenRefresher;
import dev.clawauth.state.Environment;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "gateway", description = {
    "Run the local gateway: Anthropic- and OpenAI-compatible endpoints that call providers with",
    "the stored credentials, with failover and cooldowns. Listens on 127.0.0.1:18789 by default",
    "(config gateway.port / gateway.bind). Clients authenticate with the token of `clawauth gateway token`."})
public final class GatewayCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "<n>", description = "Port (default: config gateway.port, else 18789; 0 = any free port).")
  Integer port;

  @Option(names = "--bind", paramLabel = "<addr>", description = "Address to listen on, or an OpenClaw bind mode (loopback, lan, tailnet, auto, custom); default: config gateway.bind, else loopback (127.0.0.1).")
  String bind;

  @Option(names = "--agent", paramLabel = "<id>",
      description = "Agent for requests that name none (default: the config's default agent, else main); a request picks another with the x-clawauth-agent header or an /agents/<id>/ path.")
  String agentId;

  @Option(names = "--allow-non-loopback", description = "Allow --bind to a non-loopback address (exposes the gateway to the network).")
  boolean allowNonLoopback;

  @Override
  public Integer call() throws Exception {
    Environment env = Environment.system();
    AgentContext main = AgentContext.open(env, agentId, Clock.systemUTC());
    GatewaySettings settings = GatewaySettings.load(main.paths(), main.config());
    if (port != null) {
      settings = settings.withPort(port);
    }
    settings = settings.withBind(bind != null ? bind : settings.bind(), allowNonLoopback);
    PrintWriter err = spec.commandLine().getErr();
    BindAddress listen;
    try {
      listen = settings.listen();
    } catch (UnknownHostException e) {
      throw new CliException("cannot listen on \"" + settings.bind() + "\": no such address or host name."
          + " Use --bind with an address of this machine, or loopback.");
    }
    if (listen.note() != null) {
      err.println("Note: " + listen.note() + ".");
    }
    if (!listen.address().isLoopbackAddress()) {
      err.println("Warning: the gateway listens on " + listen.address().getHostAddress()
          + ", reachable from other machines; anyone with the gateway token can use your credentials.");
    }
    err.flush();
    TokenRefresher refresher = TokenRefresher.builder().build();
    Gateway gateway;
    try {
      gateway = Gateway.start(env, agentId, settings, refresher, Clock.systemUTC(), System.err);
    } catch (BindException e) {
      refresher.close();
      throw new CliException("cannot listen on " + listen.address().getHostAddress() + ":" + settings.port()
          + ": " + e.getMessage() + ". Something already listens there (OpenClaw's own gateway uses "
          + GatewaySettings.DEFAULT_PORT + " by default); pass --port <n>, or --port 0 for any free port.");
    }
    String url = GatewayAddress.url(gateway.address());
    GatewayAddress.record(main.paths(), url);
    java.util.function.Consumer<String> stop = cause -> {
      // The record goes first: chat must not pick a port that refuses connections from now on.
      GatewayAddress.forget(main.paths(), url);
      gateway.close(cause, gateway.settings().shutdownGrace());
      refresher.close();
    };
    // Other ways out of the JVM (SIGHUP, a signal it keeps for itself) drain the same way, with
    // their own exit status. After the signal path below, this runs again at the exit: a second
    // close only waits for the first, and the other two do nothing twice.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.accept(null), "clawauth-gateway-shutdown"));
    StopSignals signals = StopSignals.install(gateway::cutNow);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Clawauth gateway listening on " + url + " (token: `clawauth gateway token`, "
        + GatewayToken.source(main) + ")");
    out.flush();
    stop.accept(signals.await());
    return 0;
  }

  @Command(name = "token", description = "Print the gateway's client token (created on first use, stored 0600 in the state dir).")
  static final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      AgentContext main = AgentContext.open(Environment.system(), null, Clock.systemUTC());
      PrintWriter out = spec.commandLine().getOut();
      out.println(GatewayToken.loadOrCreate(main).value());
      out.flush();
      return 0;
    }
  }
}
