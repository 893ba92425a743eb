/* The C front end of the cross-front-end partials test (.ci/stages/55-partials.sh), through
 * libchiso only:
 *   partials save PERIOD UNITS PROCEDURES DOSSIERS OUT   scores DOSSIERS (pushed in 64 KiB chunks)
 *                                                       and saves the partial (chiso_scorer_save)
 *   partials merge OUT PARTIAL...                       loads the partials (chiso_scorer_load),
 *                                                       merges them in order and writes the series
 *                                                       JSON (chiso_scorer_finish_series) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chiso.h"

typedef struct {
  char *data;
  size_t len;
} file_bytes;

static file_bytes read_file(const char *path) {
  file_bytes f = {NULL, 0};
  FILE *in = fopen(path, "rb");
  if (in == NULL) return f;
  fseek(in, 0, SEEK_END);
  long size = ftell(in);
  fseek(in, 0, SEEK_SET);
  f.data = malloc(size > 0 ? (size_t)size : 1);
  if (f.data != NULL && size > 0 && fread(f.data, 1, (size_t)size, in) == (size_t)size) f.len = (size_t)size;
  fclose(in);
  return f;
}

/* Prints the error of a failed call and exits. */
static void check(chiso_status status, chiso_error *err, const char *what) {
  if (status == CHISO_OK) return;
  char msg[1024] = "";
  if (err != NULL) {
    if (chiso_error_message(err, msg, sizeof msg, NULL) != CHISO_OK) strcpy(msg, "(no message)");
    chiso_error_free(err);
  }
  fprintf(stderr, "partials: %s: %s: %s\n", what, chiso_status_name((int)status), msg);
  exit(1);
}

static int write_file(const char *path, const uint8_t *data, size_t len) {
  FILE *out = fopen(path, "wb");
  if (out == NULL) return 0;
  int ok = fwrite(data, 1, len, out) == len;
  return fclose(out) == 0 && ok;
}

static int save(char **argv) {
  chiso_error *err = NULL;
  chiso_scorer *s = NULL;
  check(chiso_scorer_new(NULL, 0, argv[0], strlen(argv[0]), &s, &err), err, "new");
  file_bytes units = read_file(argv[1]), procedures = read_file(argv[2]), dossiers = read_file(argv[3]);
  if (units.data == NULL || procedures.data == NULL || dossiers.data == NULL) return 1;
  check(chiso_scorer_load_units_csv(s, units.data, units.len, &err), err, "units");
  check(chiso_scorer_load_procedures_csv(s, procedures.data, procedures.len, &err), err, "procedures");
  for (size_t at = 0; at < dossiers.len; at += 65536) {
    size_t n = dossiers.len - at < 65536 ? dossiers.len - at : 65536;
    check(chiso_scorer_push_csv(s, dossiers.data + at, n, &err), err, "push");
  }
  chiso_bytes partial = {NULL, 0};
  check(chiso_scorer_save(s, &partial, &err), err, "save");
  int ok = write_file(argv[4], partial.data, partial.len);
  chiso_bytes_free(&partial);
  chiso_scorer_free(s);
  free(units.data);
  free(procedures.data);
  free(dossiers.data);
  return ok ? 0 : 1;
}

static int merge(int count, char **argv) {
  chiso_error *err = NULL;
  chiso_scorer *merged = NULL;
  for (int i = 1; i < count; i++) {
    file_bytes f = read_file(argv[i]);
    if (f.data == NULL) return 1;
    chiso_scorer *s = NULL;
    check(chiso_scorer_load((const uint8_t *)f.data, f.len, &s, &err), err, argv[i]);
    free(f.data);
    if (merged == NULL) {
      merged = s;
    } else {
      check(chiso_scorer_merge(merged, s, &err), err, "merge");
      chiso_scorer_free(s);
    }
  }
  chiso_bytes json = {NULL, 0};
  check(chiso_scorer_finish_series(merged, &json, &err), err, "finish");
  int ok = write_file(argv[0], json.data, json.len);
  chiso_bytes_free(&json);
  chiso_scorer_free(merged);
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 7 && strcmp(argv[1], "save") == 0) return save(argv + 2);
  if (argc >= 4 && strcmp(argv[1], "merge") == 0) return merge(argc - 2, argv + 2);
  fprintf(stderr, "usage: partials save PERIOD UNITS PROCEDURES DOSSIERS OUT | partials merge OUT PARTIAL...\n");
  return 2;
}
