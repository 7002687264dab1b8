package dev.clawauth.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawauth.gateway.keys.KeyUsage;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.state.StatePaths;
import dev.clawauth.store.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the gateway keeps across restarts: each conversation's {@code /model} choice, profile pin
 * and sticky profiles, and the usage counts of each client key. One file in the state dir,
 * {@code clawauth-gateway-state.json}, rather than beside each agent's usage stats: a key's counts
 * span agents, and OpenClaw's agent dirs hold only files OpenClaw itself knows. The gateway alone
 * writes it, whole, on its flush timer and only when something changed; a file that does not parse
 * is reported and left as it is (nothing is kept across restarts until it is fixed or removed).
 */
public final class GatewayState {
  public static final String FILE = "clawauth-gateway-state.json";
  private static final ObjectMapper MAPPER = Json.strict();

  /** One conversation's choices; {@code key} is the client key's name, {@code ""} for the gateway token. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pin(String agent, String key, String session, String model, String profile,
      Map<String, String> sticky, long lastSeen) {
    public Pin {
      if (agent == null || key == null || session == null) {
        throw new IllegalArgumentException("a pin needs agent, key and session");
      }
      sticky = sticky == null ? Map.of() : Map.copyOf(sticky);
    }
  }

  /** The file's content. */
  public record Doc(int version, Map<String, KeyUsage.Totals> keys, List<Pin> pins) {
    public Doc {
      if (version != 1) {
        throw new IllegalArgumentException("version " + version + " is not one this Clawauth knows (1)");
      }
      keys = keys == null ? Map.of() : new TreeMap<>(keys);
      pins = pins == null ? List.of() : List.copyOf(pins);
    }
  }

  private final Path file;
  private final Sessions sessions;
  private final KeyUsage usage;
  private final PrintStream log;
  /** Set when the file did not parse at the start: it is then never written over. */
  private boolean keepOff;
  private String written;

  GatewayState(Path file, Sessions sessions, KeyUsage usage, PrintStream log) {
    this.file = file;
    this.sessions = sessions;
    this.usage = usage;
    this.log = log;
  }

  public static Path file(StatePaths paths) {
    return paths.stateDir().resolve(FILE);
  }

  /** The file's content; an empty one when there is no file. */
  public static Doc read(Path file) throws IOException, JsonFileException {
    String text;
    try {
      text = AtomicFiles.read(file);
    } catch (NoSuchFileException absent) {
      return new Doc(1, Map.of(), List.of());
    }
    return dev.clawauth.gateway.keys.TypedJson.read(file, text, Doc.class);
  }

  /** Puts the saved pins (those not idle past their time to live) and key counts back in memory. */
  void load(long now) {
    Doc doc;
    try {
      doc = read(file);
    } catch (JsonFileException broken) {
      keepOff = true;
      log.println("gateway: " + broken.getMessage() + " Pins and client key usage are kept in memory only until"
          + " it is fixed or removed and the gateway restarted.");
      return;
    } catch (IOException e) {
      keepOff = true;
      log.println("gateway: could not read " + file + ": " + e.getMessage() + "; pins and client key usage are kept"
          + " in memory only");
      return;
    }
    usage.load(doc.keys());
    for (Pin p : doc.pins()) {
      Sessions.Session s = new Sessions.Session();
      s.lastSeen = p.lastSeen();
      s.model = model(p.model());
      s.pinnedProfile = p.profile();
      s.sticky.putAll(p.sticky());
      sessions.restore(new Sessions.Key(p.agent(), p.key(), p.session()), s, now);
    }
  }

  /** A saved {@code provider/model}; null for none or one without its provider. */
  private static ModelRef model(String full) {
    int slash = full == null ? -1 : full.indexOf('/');
    return slash <= 0 ? null : new ModelRef(full.substring(0, slash), full.substring(slash + 1));
  }

  /** Forgets idle pins and writes the file when its content changed. */
  synchronized void flush(long now) {
    sessions.expire(now);
    if (keepOff) {
      return;
    }
    List<Pin> pins = new ArrayList<>();
    for (var e : sessions.withChoices()) {
      Sessions.Key k = e.getKey();
      Sessions.Session s = e.getValue();
      pins.add(new Pin(k.agentId(), k.scope(), k.sessionId(), s.model == null ? null : s.model.full(), s.pinnedProfile,
          Map.copyOf(s.sticky), s.lastSeen));
    }
    pins.sort(java.util.Comparator.comparing(Pin::agent).thenComparing(Pin::key).thenComparing(Pin::session));
    try {
      String text = MAPPER.writeValueAsString(new Doc(1, usage.snapshot(), pins)) + "\n";
      if (text.equals(written)) {
        return;
      }
      AtomicFiles.write(file, text);
      written = text;
    } catch (IOException e) {
      log.println("gateway: could not write " + file + ": " + e.getMessage() + "; tried again at the next flush");
    }
  }
}
