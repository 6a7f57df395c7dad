package dev.spillway.gateway.ledger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbered segment files of one kind in a directory, {@code <prefix><seq, 20 digits><suffix>}: the ledger's spill
 * segments ({@link SpillSegments}) and journal segments ({@link LedgerJournal}) live side by side this way.
 *
 * @param prefix the kind's name prefix, e.g. {@code spill-}
 * @param suffix the name's ending, e.g. {@code .jsonl}
 */
record SegmentFiles(String prefix, String suffix) {
  /** The path of segment {@code seq} in {@code dir}. */
  Path path(Path dir, long seq) {
    return dir.resolve(String.format("%s%020d%s", prefix, seq, suffix));
  }

  /** This kind's segments in {@code dir}, oldest (lowest number) first; names that do not parse are left out. */
  List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = java.nio.file.Files.newDirectoryStream(dir, prefix + "*" + suffix)) {
      for (Path p : ds) {
        if (seqOf(p) >= 0) {
          out.add(p);
        }
      }
    }
    out.sort((a, b) -> Long.compare(seqOf(a), seqOf(b)));
    return out;
  }

  /** The number after the highest segment's in {@code dir} (0 when there is none). */
  long nextSeq(Path dir) throws IOException {
    long next = 0;
    for (Path p : list(dir)) {
      next = Math.max(next, seqOf(p) + 1);
    }
    return next;
  }

  /** The segment's number, or -1 when {@code p}'s name is not one of this kind's. */
  long seqOf(Path p) {
    String name = p.getFileName().toString();
    if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() <= prefix.length() + suffix.length()) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
