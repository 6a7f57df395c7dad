package dev.spillway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads Linux {@code /proc}: a process's CPU seconds and resident memory, and per-CPU busy time.
 * Every method answers "unknown" (empty, or -1) rather than failing when {@code /proc} is absent
 * or the process has gone, so a report on another OS just shows fewer figures.
 */
final class ProcStats {
  /** USER_HZ: Linux reports {@code /proc/<pid>/stat} times in 1/100 s on every common platform. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** User + system CPU seconds used so far by {@code pid} and every live descendant; -1 if unknown. */
  static double cpuSecondsWithDescendants(long pid) {
    double own = cpuSeconds(pid);
    if (own < 0) {
      return -1;
    }
    double sum = own;
    for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
      sum += Math.max(0, cpuSeconds(child.pid()));
    }
    return sum;
  }

  /** User + system CPU seconds used so far by {@code pid}; -1 if unknown. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code VmRSS} (resident now) of {@code pid} in KiB. */
  static OptionalLong rssKib(long pid) {
    return statusKib(pid, "VmRSS:");
  }

  /** {@code VmRSS} summed over {@code pid} and its live descendants (nginx workers, ...), KiB. */
  static OptionalLong rssKibWithDescendants(long pid) {
    OptionalLong own = rssKib(pid);
    if (own.isEmpty()) {
      return own;
    }
    long sum = own.getAsLong();
    for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
      sum += rssKib(child.pid()).orElse(0);
    }
    return OptionalLong.of(sum);
  }

  private static OptionalLong statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return OptionalLong.of(Long.parseLong(line.substring(field.length()).replace("kB", "").strip()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return OptionalLong.empty();
  }

  /**
   * Busy (non-idle, non-iowait) seconds of each CPU since boot, from {@code /proc/stat}; an empty
   * array if unknown. The difference of two readings is how busy each core was in between.
   */
  static double[] cpuBusySeconds() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
      return lines.stream()
          .filter(l -> l.startsWith("cpu") && Character.isDigit(l.charAt(3)))
          .mapToDouble(
              l -> {
                String[] f = l.split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length; i++) {
                  if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                  }
                }
                return busy / TICKS_PER_SECOND;
              })
          .toArray();
    } catch (IOException | RuntimeException e) {
      return new double[0];
    }
  }

  /** Open file descriptors of {@code pid} (files, sockets, pipes): the entries of {@code /proc/<pid>/fd}; -1 if unknown. */
  static long openFiles(long pid) {
    try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return entries.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Of {@code pid}'s open file descriptors, the sockets (TCP, UDP, Unix); -1 if unknown. */
  static long openSockets(long pid) {
    Path dir = Path.of("/proc", Long.toString(pid), "fd");
    try (var entries = Files.list(dir)) {
      return entries.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException | RuntimeException e) {
          return false; // closed meanwhile
        }
      }).count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This process's soft limit on open files (children inherit it); -1 if unknown or unlimited. */
  static long openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
          return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return -1;
  }
}
