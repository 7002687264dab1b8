package dev.clawauth.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawauth.json.JsonFileException;
import dev.clawauth.json.JsonText;
import dev.clawauth.store.AtomicFiles;
import dev.clawauth.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Changes to openclaw.json: locked, re-read, edited as a tree, written atomically as plain JSON
 * (what OpenClaw writes too), with the previous file kept as {@code <name>.bak}. Comments in a
 * hand-written JSON5 file do not survive a write; the .bak keeps them.
 */
public final class ConfigFile {
  private ConfigFile() {}

  @FunctionalInterface
  public interface Edit {
    void apply(ObjectNode root) throws IOException;
  }

  public static ClawConfig update(Path path, Edit edit) throws IOException, JsonFileException {
    AtomicFiles.createPrivateDirectories(path.toAbsolutePath().getParent());
    try (StoreLock lock = StoreLock.acquire(path)) {
      ClawConfig current = ClawConfig.load(path);
      ObjectNode root = current.tree().deepCopy();
      edit.apply(root);
      if (!root.equals(current.tree()) || !current.exists()) {
        if (current.exists()) {
          Path bak = path.resolveSibling(path.getFileName() + ".bak");
          Files.copy(path, bak, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(bak, AtomicFiles.FILE_MODE);
        }
        AtomicFiles.write(path, JsonText.pretty(root));
      }
      return new ClawConfig(path, root, true);
    }
  }
}
