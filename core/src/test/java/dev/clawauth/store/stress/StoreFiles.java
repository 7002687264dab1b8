package dev.clawauth.store.stress;

import dev.clawauth.store.FileStore;
import dev.clawauth.store.StoreDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What the stress tests look at on disk. */
final class StoreFiles {
  private StoreFiles() {}

  /** Profile ids of the store, read the way Clawauth reads it: a file that does not parse fails. */
  static Set<String> profileIds(Path store) throws Exception {
    StoreDocument doc = new FileStore(store).readStored();
    return new TreeSet<>(doc.profiles().keySet());
  }

  /** The temp files that the atomic writer left beside {@code store}. */
  static List<Path> tempFiles(Path store) throws IOException {
    String prefix = "." + store.getFileName() + ".";
    // A writer killed before it made the agent directory leaves no directory to list.
    if (!Files.isDirectory(store.getParent())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(store.getParent())) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)
          && f.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  static Path lockDir(Path store) {
    return store.resolveSibling(store.getFileName() + ".lock");
  }

  /** Ids from the child's {@code committed <id>} lines. */
  static List<String> committed(List<String> output) {
    return output.stream().filter(l -> l.startsWith("committed "))
        .map(l -> l.substring("committed ".length())).toList();
  }
}
