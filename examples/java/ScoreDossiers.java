// Scores a dossier CSV on the Decision 766 index from Java, through libchiso and JNA: the path for
// Java-based provincial procedure systems. The file is streamed into the scorer in 64 KiB chunks
// cut wherever the read stops (the scorer joins them), and the scorecard JSON is printed: byte for
// byte what `chiso score766 --format json` prints for the same files.
//
// Build and run against an installed libchiso (bindings-c/install.sh PREFIX) with Debian's JNA:
//   javac -cp /usr/share/java/jna.jar -d OUT examples/java/ScoreDossiers.java
//   java -cp /usr/share/java/jna.jar:OUT -Djna.library.path=PREFIX/lib ScoreDossiers \
//        PERIOD DOSSIERS.csv [UNITS.csv [PROCEDURES.csv [FEEDBACK.csv [COUNTS.json]]]]
// Exit status: 0, or 1 with `score_dossiers: WHAT: CODE: MESSAGE` on stderr (the codes are
// libchiso's status names), 2 for a usage error.

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public final class ScoreDossiers {
  /** The functions of include/chiso.h this program calls; size_t is a long on 64-bit Linux. */
  public interface Chiso extends Library {
    int chiso_scorer_new(byte[] profile, long profileLen, byte[] period, long periodLen,
                         PointerByReference out, PointerByReference error);
    int chiso_scorer_load_units_csv(Pointer scorer, byte[] csv, long len, PointerByReference error);
    int chiso_scorer_load_procedures_csv(Pointer scorer, byte[] csv, long len, PointerByReference error);
    int chiso_scorer_load_feedback_csv(Pointer scorer, byte[] csv, long len, PointerByReference error);
    int chiso_scorer_load_counts_json(Pointer scorer, byte[] json, long len, PointerByReference error);
    int chiso_scorer_push_csv(Pointer scorer, byte[] csv, long len, PointerByReference error);
    int chiso_scorer_finish(Pointer scorer, Bytes out, PointerByReference error);
    void chiso_scorer_free(Pointer scorer);
    void chiso_bytes_free(Bytes bytes);
    int chiso_error_message(Pointer error, byte[] buf, long len, LongByReference outLen);
    void chiso_error_free(Pointer error);
    String chiso_status_name(int status);
  }

  /** `struct chiso_bytes`: owned by libchiso until `chiso_bytes_free`. */
  @Structure.FieldOrder({"data", "len"})
  public static class Bytes extends Structure {
    public Pointer data;
    public long len;
  }

  private static final int OK = 0;

  /** A failed call: its status name and message, the error freed. */
  static final class Failure extends Exception {
    Failure(Chiso lib, String what, int status, PointerByReference error) {
      super(what + ": " + lib.chiso_status_name(status) + ": " + message(lib, error.getValue()));
    }

    private static String message(Chiso lib, Pointer error) {
      if (error == null) return "";
      byte[] buf = new byte[4096];
      LongByReference len = new LongByReference();
      String text = lib.chiso_error_message(error, buf, buf.length, len) == OK
          ? new String(buf, 0, (int) Math.min(len.getValue(), buf.length - 1), StandardCharsets.UTF_8) : "";
      lib.chiso_error_free(error);
      return text;
    }
  }

  interface Loader {
    int load(Pointer scorer, byte[] bytes, long len, PointerByReference error);
  }

  private static void check(Chiso lib, String what, int status, PointerByReference error) throws Failure {
    if (status != OK) throw new Failure(lib, what, status, error);
  }

  private static void load(Chiso lib, Pointer scorer, Loader loader, String path) throws IOException, Failure {
    byte[] bytes = Files.readAllBytes(Path.of(path));
    PointerByReference error = new PointerByReference();
    check(lib, path, loader.load(scorer, bytes, bytes.length, error), error);
  }

  static byte[] score(Chiso lib, String[] args) throws IOException, Failure {
    byte[] period = args[0].getBytes(StandardCharsets.UTF_8);
    PointerByReference out = new PointerByReference();
    PointerByReference error = new PointerByReference();
    check(lib, "period", lib.chiso_scorer_new(null, 0, period, period.length, out, error), error);
    Pointer scorer = out.getValue();
    try {
      if (args.length > 2) load(lib, scorer, lib::chiso_scorer_load_units_csv, args[2]);
      if (args.length > 3) load(lib, scorer, lib::chiso_scorer_load_procedures_csv, args[3]);
      if (args.length > 4) load(lib, scorer, lib::chiso_scorer_load_feedback_csv, args[4]);
      if (args.length > 5) load(lib, scorer, lib::chiso_scorer_load_counts_json, args[5]);
      try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
        byte[] chunk = new byte[1 << 16];
        for (int n; (n = in.read(chunk)) > 0; ) {
          // JNA copies the whole array; only the first n bytes are read by libchiso.
          check(lib, args[1], lib.chiso_scorer_push_csv(scorer, chunk, n, error), error);
        }
      }
      Bytes card = new Bytes();
      check(lib, "finish", lib.chiso_scorer_finish(scorer, card, error), error);
      card.read();
      byte[] json = card.data == null ? new byte[0] : card.data.getByteArray(0, (int) card.len);
      lib.chiso_bytes_free(card);
      return json;
    } finally {
      lib.chiso_scorer_free(scorer);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 6) {
      System.err.println("usage: ScoreDossiers PERIOD DOSSIERS.csv [UNITS.csv [PROCEDURES.csv [FEEDBACK.csv [COUNTS.json]]]]");
      System.exit(2);
    }
    Chiso lib = Native.load("chiso", Chiso.class);
    try {
      byte[] json = score(lib, args);
      PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      stdout.write(json);
      stdout.write('\n');
      stdout.flush();
    } catch (Failure f) {
      System.err.println("score_dossiers: " + f.getMessage());
      System.exit(1);
    }
  }
}
