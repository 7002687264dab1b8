package dev.clawauth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.Json;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.json.JsonText;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Changes to openclaw.json: locked, re-read, edited as a tree, and written atomically with the
 * previous file kept as {@code <name>.bak}. Only the text of what changed is rewritten
 * ({@link Json5Edits}), so a hand-written JSON5 file keeps its comments and layout; when an edit
 * cannot be made in place the whole file is written as plain JSON (what OpenClaw writes too), and
 * the .bak keeps the comments. A missing file is created as plain JSON.
 */
public final class ConfigFile {
  private ConfigFile() {}

  @FunctionalInterface
  public interface Edit {
    void apply(ObjectNode root) throws IOException;
  }

  /** How {@link #write} left the file. */
  enum Outcome {
    /** The edit changed nothing; the file was not written. */
    UNCHANGED,
    /** There was no file; it was written as plain JSON. */
    CREATED,
    /** The changes were made in the file's text; the rest of it is as it was. */
    EDITED,
    /** The whole file was written as plain JSON. */
    REWRITTEN
  }

  record Written(ClawConfig config, Outcome outcome) {}

  public static ClawConfig update(Path path, Edit edit) throws IOException, JsonFileException {
    return write(path, edit).config();
  }

  static Written write(Path path, Edit edit) throws IOException, JsonFileException {
    AtomicFiles.createPrivateDirectories(path.toAbsolutePath().getParent());
    return StoreLock.holding(path, () -> {
      // A writer killed mid-write leaves its temp file; under the lock none can be live.
      AtomicFiles.removeLeftovers(path);
      // Read once: the text that is edited must be the one the tree was read from.
      String original = readIfExists(path);
      ObjectNode before = original == null ? Json.object() : parse(path, original);
      ObjectNode root = before.deepCopy();
      edit.apply(root);
      ClawConfig edited = new ClawConfig(path, root, true);
      if (original == null) {
        AtomicFiles.write(path, JsonText.pretty(root), rereads(path, root));
        return new Written(edited, Outcome.CREATED);
      }
      if (root.equals(before)) {
        return new Written(edited, Outcome.UNCHANGED);
      }
      Optional<String> inPlace = Json5Edits.apply(path, original, before, root);
      String text = inPlace.orElseGet(() -> JsonText.pretty(root));
      if (text.equals(original)) {
        return new Written(edited, Outcome.UNCHANGED);
      }
      Path bak = path.resolveSibling(path.getFileName() + ".bak");
      Files.copy(path, bak, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(bak, AtomicFiles.FILE_MODE);
      AtomicFiles.write(path, text, rereads(path, root));
      return new Written(edited, inPlace.isPresent() ? Outcome.EDITED : Outcome.REWRITTEN);
    });
  }

  /** What is renamed into place must read back as the edited tree, or the old file stays. */
  private static AtomicFiles.Check rereads(Path path, ObjectNode expected) {
    return text -> {
      try {
        if (!Json.parseJson5(path, text).equals(expected)) {
          throw new IOException("refusing to write " + path + ": the new text would not read back as the edit;"
              + " nothing was changed");
        }
      } catch (JsonFileException e) {
        throw new IOException("refusing to write " + path + ": the new text would not parse (" + e.problem()
            + "); nothing was changed", e);
      }
    };
  }

  private static String readIfExists(Path path) throws IOException {
    try {
      return AtomicFiles.read(path);
    } catch (NoSuchFileException missing) {
      return null;
    }
  }

  private static ObjectNode parse(Path path, String text) throws JsonFileException {
    JsonNode node = Json.parseJson5(path, text);
    if (!(node instanceof ObjectNode o)) {
      throw new JsonFileException(path, 1, 1, "the top level is not a JSON object");
    }
    return o;
  }
}
