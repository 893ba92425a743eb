/* The C side of the chiso_scorer_push_dossiers throughput comparison (bench/run.sh): synthetic
 * dossiers already in memory, pushed in batches through the C API. The Rust side,
 * examples/push_dossiers_rust.rs, pushes the same records into the core directly.
 *
 * Usage: push_dossiers SAMPLE_DIR RECORDS [BATCH]   (SAMPLE_DIR holds units.csv and procedures.csv)
 * Prints the records per second and a digest of the scorecard, which must equal the Rust side's. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chiso.h"

static const char *const UNITS[5] = {"tt-phu-my", "khom-trung-thanh", "khom-thi-1", "khom-thi-2", "khom-long-hoa"};
static const char *const CHANNELS[3] = {"online", "direct", "postal"};
static const char *const RATINGS[4] = {"satisfied", "", "unsatisfied", ""};

/* Room for one record's generated text. */
typedef struct {
  char id[24], procedure[24], received_at[48], due_at[24], finished_at[48];
} texts;

static chiso_str str_of(const char *s) {
  chiso_str out;
  out.ptr = s;
  out.len = strlen(s);
  return out;
}

/* Dossier `i` of the synthetic set: the same formulas as `synthetic` in push_dossiers_rust.rs. */
static chiso_dossier synthetic_dossier(uint64_t i, texts *t) {
  uint64_t day = 1 + i % 28;
  uint64_t flags = (i * 2654435761u) >> 7;
  int late = i % 13 == 0;
  snprintf(t->id, sizeof t->id, "HS-%08llu", (unsigned long long)i);
  snprintf(t->procedure, sizeof t->procedure, "1.%06llu", (unsigned long long)(1 + (i * 7) % 36));
  snprintf(t->received_at, sizeof t->received_at, "2026-09-%02lluT%02llu:%02llu:00", (unsigned long long)day,
           (unsigned long long)(7 + i % 10), (unsigned long long)(i % 60));
  snprintf(t->due_at, sizeof t->due_at, "2026-09-%02llu", (unsigned long long)(day + 2));
  uint64_t finished = day + i % 4 < 30 ? day + i % 4 : 30;
  if (i % 9 == 0) {
    t->finished_at[0] = 0;
  } else {
    snprintf(t->finished_at, sizeof t->finished_at, "2026-09-%02lluT16:00:00", (unsigned long long)finished);
  }
  chiso_dossier d;
  d.dossier_id = str_of(t->id);
  d.unit = str_of(UNITS[i % 5]);
  d.procedure = str_of(t->procedure);
  d.received_at = str_of(t->received_at);
  d.due_at = str_of(t->due_at);
  d.finished_at = str_of(t->finished_at);
  d.channel = str_of(CHANNELS[i % 3]);
  d.supplement_requests = str_of(late ? "1" : "0");
  d.supplement_days = str_of(late ? "1.5" : "");
  chiso_str *flag_fields[9] = {&d.e_result, &d.digitized, &d.reused_data, &d.shared_storage, &d.citizen_data,
                               &d.synced, &d.fee, &d.paid_online, &d.complaint};
  for (int k = 0; k < 9; k++) *flag_fields[k] = str_of((flags >> k) & 1 ? "1" : "0");
  d.rating = str_of(RATINGS[i % 4]);
  return d;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0) {
    fclose(f);
    return NULL;
  }
  long size = ftell(f);
  rewind(f);
  char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
  if (buf != NULL) *len = fread(buf, 1, (size_t)size, f);
  fclose(f);
  return buf;
}

static int fail(const char *what, chiso_status status, chiso_error *err) {
  char msg[512] = "";
  if (err != NULL && chiso_error_message(err, msg, sizeof msg, NULL) != CHISO_OK) msg[0] = 0;
  fprintf(stderr, "push_dossiers: %s: %s: %s\n", what, chiso_status_name((int)status), msg);
  chiso_error_free(err);
  return 1;
}

static int load(chiso_scorer *s, const char *dir, const char *name,
                chiso_status (*loader)(chiso_scorer *, const char *, size_t, chiso_error **)) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len = 0;
  char *text = read_file(path, &len);
  if (text == NULL) {
    fprintf(stderr, "push_dossiers: cannot read %s\n", path);
    return 1;
  }
  chiso_error *err = NULL;
  chiso_status status = loader(s, text, len, &err);
  free(text);
  return status == CHISO_OK ? 0 : fail(name, status, err);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s SAMPLE_DIR RECORDS [BATCH]\n", argv[0]);
    return 2;
  }
  size_t n = strtoull(argv[2], NULL, 10);
  size_t batch = argc > 3 ? strtoull(argv[3], NULL, 10) : 1024;
  if (batch == 0) batch = 1;
  texts *t = malloc(n * sizeof *t + 1);
  chiso_dossier *records = malloc(n * sizeof *records + 1);
  if (t == NULL || records == NULL) return 1;
  for (size_t i = 0; i < n; i++) records[i] = synthetic_dossier(i, &t[i]);

  chiso_scorer *s = NULL;
  chiso_error *err = NULL;
  chiso_status status = chiso_scorer_new(NULL, 0, "2026-09", 7, &s, &err);
  if (status != CHISO_OK) return fail("new", status, err);
  if (load(s, argv[1], "units.csv", chiso_scorer_load_units_csv) ||
      load(s, argv[1], "procedures.csv", chiso_scorer_load_procedures_csv))
    return 1;

  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (size_t i = 0; i < n; i += batch) {
    size_t count = n - i < batch ? n - i : batch;
    status = chiso_scorer_push_dossiers(s, records + i, count, &err);
    if (status != CHISO_OK) return fail("push", status, err);
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;

  chiso_bytes out = {NULL, 0};
  status = chiso_scorer_finish(s, &out, &err);
  if (status != CHISO_OK) return fail("finish", status, err);
  uint64_t digest = 0xcbf29ce484222325u;
  for (size_t i = 0; i < out.len; i++) digest = (digest ^ out.data[i]) * 0x100000001b3u;
  printf("C      chiso_scorer_push_dossiers   %zu records in %.3f s: %.2f M records/s (batches of %zu)\n", n,
         seconds, (double)n / seconds / 1e6, batch);
  printf("C      scorecard: %zu bytes, digest %016llx\n", out.len, (unsigned long long)digest);
  chiso_bytes_free(&out);
  chiso_scorer_free(s);
  free(records);
  free(t);
  return 0;
}
