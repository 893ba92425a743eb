/* Scores a dossier CSV on the Decision 766 index through libchiso's streaming API: the file is read
 * and pushed in chunks, as a system that streams its records would, and the scorecard JSON is
 * printed on stdout.
 *
 * Usage: score_dossiers PERIOD DOSSIERS.csv [UNITS.csv [PROCEDURES.csv [FEEDBACK.csv]]]
 * Build: make -C examples/c   (with libchiso installed where pkg-config finds chiso.pc) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chiso.h"

/* Prints a failed call's status and message, frees the error, returns 1. */
static int report(const char *what, chiso_status status, chiso_error *err) {
  char message[1024] = "";
  if (err != NULL && chiso_error_message(err, message, sizeof message, NULL) != CHISO_OK) message[0] = '\0';
  fprintf(stderr, "score_dossiers: %s: %s: %s\n", what, chiso_status_name((int)status), message);
  chiso_error_free(err);
  return 1;
}

/* Reads a whole (small) file; NULL on failure. */
static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *buf = malloc(cap);
  while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (bigger == NULL) free(buf);
      buf = bigger;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

typedef chiso_status (*loader)(chiso_scorer *, const char *, size_t, chiso_error **);

static int load(chiso_scorer *scorer, loader load_fn, const char *path) {
  size_t len = 0;
  char *text = read_all(path, &len);
  if (text == NULL) {
    fprintf(stderr, "score_dossiers: cannot read %s\n", path);
    return 1;
  }
  chiso_error *err = NULL;
  chiso_status status = load_fn(scorer, text, len, &err);
  free(text);
  return status == CHISO_OK ? 0 : report(path, status, err);
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 6) {
    fprintf(stderr, "usage: %s PERIOD DOSSIERS.csv [UNITS.csv [PROCEDURES.csv [FEEDBACK.csv]]]\n", argv[0]);
    return 2;
  }
  chiso_scorer *scorer = NULL;
  chiso_error *err = NULL;
  chiso_status status = chiso_scorer_new(NULL, 0, argv[1], strlen(argv[1]), &scorer, &err);
  if (status != CHISO_OK) return report("period", status, err);

  int failed = (argc > 3 && load(scorer, chiso_scorer_load_units_csv, argv[3])) ||
               (argc > 4 && load(scorer, chiso_scorer_load_procedures_csv, argv[4])) ||
               (argc > 5 && load(scorer, chiso_scorer_load_feedback_csv, argv[5]));

  /* The dossiers, in chunks of 64 KiB cut wherever fread stops: the scorer joins them. */
  FILE *dossiers = failed ? NULL : fopen(argv[2], "rb");
  if (!failed && dossiers == NULL) {
    fprintf(stderr, "score_dossiers: cannot read %s\n", argv[2]);
    failed = 1;
  }
  static char chunk[1 << 16];
  size_t n;
  while (!failed && (n = fread(chunk, 1, sizeof chunk, dossiers)) > 0) {
    status = chiso_scorer_push_csv(scorer, chunk, n, &err);
    if (status != CHISO_OK) failed = report(argv[2], status, err);
  }
  if (dossiers != NULL) fclose(dossiers);

  chiso_bytes scorecard = {NULL, 0};
  if (!failed) {
    status = chiso_scorer_finish(scorer, &scorecard, &err);
    if (status != CHISO_OK) failed = report("finish", status, err);
  }
  if (!failed) {
    fwrite(scorecard.data, 1, scorecard.len, stdout);
    fputc('\n', stdout);
  }
  chiso_bytes_free(&scorecard);
  chiso_scorer_free(scorer);
  return failed;
}
