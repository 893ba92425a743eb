/* The C suite, Decision 766: chiso_score766_counts_json and the streaming scorer, with NULL
 * arguments, invalid UTF-8, bad JSON and CSV, calls out of order, chunks split at every byte, the
 * same records pushed as structs, merged scorers, and the golden vectors.
 *
 * Usage: test_scorer GOLDEN_DIR   (core/tests/golden) */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <pthread.h>

#include "harness.h"

static const char UNITS[] =
    "id,name,parent,level\n"
    "tt,Thị trấn Phú Mỹ,,commune\n"
    "k1,\"Khóm 1, Trung Thạnh\",tt,neighbourhood\n"
    "k2,Khóm 2,tt,neighbourhood\n";

static const char PROCEDURES[] =
    "procedure,name,field,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,"
    "citizen_applicants\n"
    "p1,Thủ tục đất đai,đất đai,commune,full,1,1,1,1,1\n"
    "p2,Thủ tục hộ tịch,hộ tịch,neighbourhood,partial,0,0,0,0,1\n";

/* Every row valid, so that pushing rows as CSV or as structs gives the same scorecard. Quotes with a
 * comma and with a line break, a doubled quote, multi-byte characters and a CRLF, to be cut inside. */
static const char DOSSIERS[] =
    "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,supplement_requests,supplement_days,"
    "e_result,digitized,reused_data,shared_storage,citizen_data,synced,fee,paid_online,complaint,rating\n"
    "HS-1,tt,p1,2026-09-03T08:00,2026-09-10,2026-09-09T10:00,online,0,,1,1,1,0,1,1,1,1,0,satisfied\n"
    "\"HS,2\",k1,p2,2026-09-04,2026-09-06,2026-09-08,direct,1,0.5,0,1,0,0,0,1,0,0,0,unsatisfied\r\n"
    "\"HS-3 dòng\nmới\",k2,p1,2026-09-05T09:30:00+07:00,2026-09-30,,online,0,,0,0,0,1,1,1,1,0,0,\n"
    "\"HS-\"\"4\"\"-ệ\",k1,p1,2026-09-20,2026-09-25,2026-09-21T08:00:00Z,postal,2,,1,1,1,1,1,0,1,1,1,\n"
    "HS-5-Đ,k2,p2,2026-09-28,,2026-09-29,online,0,,0,1,0,0,0,1,0,0,0,satisfied\n";

/* The same rows as DOSSIERS, as text fields in column order. */
static const char *const DOSSIER_FIELDS[5][19] = {
    {"HS-1", "tt", "p1", "2026-09-03T08:00", "2026-09-10", "2026-09-09T10:00", "online", "0", "", "1", "1", "1",
     "0", "1", "1", "1", "1", "0", "satisfied"},
    {"HS,2", "k1", "p2", "2026-09-04", "2026-09-06", "2026-09-08", "direct", "1", "0.5", "0", "1", "0", "0", "0",
     "1", "0", "0", "0", "unsatisfied"},
    {"HS-3 dòng\nmới", "k2", "p1", "2026-09-05T09:30:00+07:00", "2026-09-30", "", "online", "0", "", "0", "0",
     "0", "1", "1", "1", "1", "0", "0", ""},
    {"HS-\"4\"-ệ", "k1", "p1", "2026-09-20", "2026-09-25", "2026-09-21T08:00:00Z", "postal", "2", "", "1", "1",
     "1", "1", "1", "0", "1", "1", "1", ""},
    {"HS-5-Đ", "k2", "p2", "2026-09-28", "", "2026-09-29", "online", "0", "", "0", "1", "0", "0", "0", "1", "0",
     "0", "0", "satisfied"},
};

static const char FEEDBACK[] =
    "feedback_id,unit,received_at,due_at,finished_at,about,unsatisfied,raised_again\n"
    "PA-1,tt,2026-09-02,2026-09-12,2026-09-10,rules,0,0\n"
    "PA-2,k1,2026-09-15,2026-09-20,,staff,1,0\n";

static const char COUNTS[] =
    "{ \"period\": \"2026-09\", \"units\": [ { \"unit\": \"tt\", \"metrics\": {"
    " \"PUBLISH_ON_TIME\": [3, 3], \"E_CERTIFIED_COPY\": [1, 1] } } ] }";

static chiso_str str_of(const char *s) {
  chiso_str out;
  out.ptr = s;
  out.len = strlen(s);
  return out;
}

static chiso_dossier dossier_of(const char *const f[19]) {
  chiso_dossier d;
  d.dossier_id = str_of(f[0]);
  d.unit = str_of(f[1]);
  d.procedure = str_of(f[2]);
  d.received_at = str_of(f[3]);
  d.due_at = str_of(f[4]);
  d.finished_at = str_of(f[5]);
  d.channel = str_of(f[6]);
  d.supplement_requests = str_of(f[7]);
  d.supplement_days = str_of(f[8]);
  d.e_result = str_of(f[9]);
  d.digitized = str_of(f[10]);
  d.reused_data = str_of(f[11]);
  d.shared_storage = str_of(f[12]);
  d.citizen_data = str_of(f[13]);
  d.synced = str_of(f[14]);
  d.fee = str_of(f[15]);
  d.paid_online = str_of(f[16]);
  d.complaint = str_of(f[17]);
  d.rating = str_of(f[18]);
  return d;
}

/* A scorer for 2026-09 with units and procedures loaded; NULL (and a failed check) otherwise. */
static chiso_scorer *loaded_scorer(void) {
  chiso_scorer *s = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09"), &s, NULL), CHISO_OK);
  if (s == NULL) return NULL;
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(UNITS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_procedures_csv(s, TEXT(PROCEDURES), NULL), CHISO_OK);
  return s;
}

/* Finishes and frees a scorer, returning its JSON (empty on failure). */
static chiso_bytes finish(chiso_scorer *s) {
  chiso_bytes out = sentinel();
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_scorer_finish(s, &out, &err), CHISO_OK);
  if (err != NULL) {
    char msg[512];
    if (chiso_error_message(err, msg, sizeof msg, NULL) == CHISO_OK) fprintf(stderr, "finish: %s\n", msg);
    chiso_error_free(err);
  }
  chiso_scorer_free(s);
  if (untouched(out)) {
    out.data = NULL;
    out.len = 0;
  }
  return out;
}

/* The scorecard of the whole CSV pushed at once: the reference of the other tests. */
static chiso_bytes reference(void) {
  chiso_scorer *s = loaded_scorer();
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  return finish(s);
}

/* ---- chiso_score766_counts_json ------------------------------------------------------------ */

static void test_counts_json(void) {
  chiso_bytes out = sentinel();
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_score766_counts_json(TEXT(COUNTS), NULL, 0, &out, &err), CHISO_OK);
  CHECK(err == NULL);
  CHECK(strstr((const char *)out.data, "\"profile\": \"portal-2026\"") != NULL);
  CHECK(strstr((const char *)out.data, "\"period\": \"2026-09\"") != NULL);
  chiso_bytes_free(&out);
  out = sentinel();
  CHECK_STATUS(chiso_score766_counts_json(TEXT(COUNTS), TEXT("decision-2022"), &out, NULL), CHISO_OK);
  CHECK(strstr((const char *)out.data, "\"profile\": \"decision-2022\"") != NULL);
  chiso_bytes_free(&out);

  /* A numerator above its denominator is a rejected metric, not an error. */
  out = sentinel();
  CHECK_STATUS(chiso_score766_counts_json(
                   TEXT("{\"period\": \"2026-09\", \"units\": [{\"unit\": \"a\", \"metrics\": {\"ON_TIME\": [5, 3]}}]}"),
                   NULL, 0, &out, NULL),
               CHISO_OK);
  CHECK(strstr((const char *)out.data, "numerator 5 is above denominator 3") != NULL);
  chiso_bytes_free(&out);

  struct {
    const char *counts;
    const char *profile;
    chiso_status expected;
  } cases[] = {
      {NULL, NULL, CHISO_NULL_ARGUMENT},
      {"{", NULL, CHISO_BAD_JSON},
      {"", NULL, CHISO_BAD_JSON},
      {"{\"period\": \"2026-13\", \"units\": []}", NULL, CHISO_BAD_JSON},
      /* A bad metric value (`"X": [1]`) is a rejected metric now; `metrics` that is not an object
         still fails the file. */
      {"{\"period\": \"2026-09\", \"units\": [{\"unit\": \"a\", \"metrics\": [1]}]}", NULL, CHISO_BAD_JSON},
      {COUNTS, "portal-2030", CHISO_UNKNOWN_PROFILE},
      {"{\"period\": \"2026-09\", \"units\": [{\"unit\": \"\xc3\x28\"}]}", NULL, CHISO_INVALID_UTF8},
      {COUNTS, "portal-\xff", CHISO_INVALID_UTF8},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    out = sentinel();
    err = NULL;
    size_t counts_len = cases[i].counts ? strlen(cases[i].counts) : 0;
    size_t profile_len = cases[i].profile ? strlen(cases[i].profile) : 0;
    CHECK_STATUS(chiso_score766_counts_json(cases[i].counts, counts_len, cases[i].profile, profile_len, &out, &err),
                 cases[i].expected);
    CHECK(untouched(out));
    CHECK_ERROR(err, cases[i].expected);
  }
  CHECK_STATUS(chiso_score766_counts_json(TEXT(COUNTS), NULL, 0, NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
}

/* ---- the streaming scorer ------------------------------------------------------------------ */

static void test_new(void) {
  chiso_scorer *s = NULL;
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_scorer_new(TEXT("decision-2022"), TEXT("2026-Q3"), &s, &err), CHISO_OK);
  CHECK(s != NULL && err == NULL);
  chiso_scorer_free(s);
  chiso_scorer_free(NULL);

  chiso_scorer *const marker = (chiso_scorer *)(uintptr_t)0x1;
  struct {
    const char *profile;
    const char *period;
    chiso_status expected;
  } cases[] = {
      {NULL, NULL, CHISO_NULL_ARGUMENT},
      {NULL, "2026-13", CHISO_INVALID_ARGUMENT},
      {NULL, "", CHISO_INVALID_ARGUMENT},
      {NULL, "2026-0\xe1", CHISO_INVALID_UTF8},
      {"nope", "2026-09", CHISO_UNKNOWN_PROFILE},
      {"\xff", "2026-09", CHISO_INVALID_UTF8},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    s = marker;
    size_t profile_len = cases[i].profile ? strlen(cases[i].profile) : 0;
    size_t period_len = cases[i].period ? strlen(cases[i].period) : 0;
    CHECK_STATUS(chiso_scorer_new(cases[i].profile, profile_len, cases[i].period, period_len, &s, &err),
                 cases[i].expected);
    CHECK(s == marker);
    CHECK_ERROR(err, cases[i].expected);
  }
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09"), NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
}

static void test_whole_stream(void) {
  chiso_bytes ref = reference();
  CHECK(ref.data != NULL);
  if (ref.data == NULL) return;
  const char *json = (const char *)ref.data;
  CHECK(strstr(json, "\"unit\": \"tt\"") != NULL);
  CHECK(strstr(json, "\"unit\": \"k1\"") != NULL);
  CHECK(strstr(json, "\"rejected\": []") != NULL);

  /* With feedback and counts: more metrics are known. */
  chiso_scorer *s = loaded_scorer();
  CHECK_STATUS(chiso_scorer_load_feedback_csv(s, TEXT(FEEDBACK), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_counts_json(s, TEXT(COUNTS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  chiso_bytes full = finish(s);
  CHECK(full.data != NULL && !same_bytes(full, ref));
  chiso_bytes_free(&full);

  /* No records at all: the town with zero denominators; a khóm is listed only with records. */
  s = loaded_scorer();
  chiso_bytes empty = finish(s);
  CHECK(empty.data != NULL && strstr((const char *)empty.data, "\"unit\": \"tt\"") != NULL);
  CHECK(empty.data != NULL && strstr((const char *)empty.data, "\"unit\": \"k2\"") == NULL);
  chiso_bytes_free(&empty);
  chiso_bytes_free(&ref);
}

/* The distance between the cuts of the split tests: 1 (every byte) unless CHISO_SPLIT_STEP says
 * otherwise. run.sh runs every byte under the sanitizers and every 7th under valgrind, where each
 * scorer is some hundred times slower: the splits are checked exhaustively once, and the memory of
 * a spread of them. */
static size_t split_step(void) {
  const char *env = getenv("CHISO_SPLIT_STEP");
  long step = env != NULL ? strtol(env, NULL, 10) : 1;
  return step > 0 ? (size_t)step : 1;
}

/* A dossier_id given twice (a quoted one spanning two lines, so that its rows are not its records)
 * is counted and listed in `warnings` with the row where it first occurred, wherever the stream is
 * cut. */
static void test_duplicate_id(void) {
  char csv[2048];
  int n = snprintf(csv, sizeof csv, "%s%s", DOSSIERS,
                   "\"HS-3 dòng\nmới\",k1,p1,2026-09-06,2026-09-30,,online,0,,0,0,0,1,1,1,1,0,0,\n");
  CHECK(n > 0 && (size_t)n < sizeof csv);
  size_t len = strlen(csv);
  const char *expected = "\"warnings\": [\n    {\n      \"source\": \"dossiers.csv\",\n      \"row\": 8,\n"
                         "      \"column\": \"dossier_id\",\n      \"reason\": \"dossier_id `HS-3 dòng\\nmới` already at row 4\"";
  int found = 0, runs = 0;
  size_t step = split_step();
  for (size_t cut = 0; cut <= len; cut += step) {
    runs++;
    chiso_scorer *s = loaded_scorer();
    CHECK_STATUS(chiso_scorer_push_csv(s, csv, cut, NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_push_csv(s, csv + cut, len - cut, NULL), CHISO_OK);
    chiso_bytes out = finish(s);
    if (out.data != NULL && strstr((const char *)out.data, expected) != NULL) {
      found++;
    } else if (cut == 0) {
      fprintf(stderr, "no duplicate warning in %s\n", out.data != NULL ? (const char *)out.data : "(null)");
    }
    chiso_bytes_free(&out);
  }
  printf("a duplicate dossier_id, split every %zu byte(s): warned about in %d of %d scorecards\n", step, found, runs);
  CHECK(found == runs);
}

/* A range: `chiso_scorer_finish` refuses it, `chiso_scorer_finish_series` gives every period. */
static void test_series(void) {
  chiso_scorer *s = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-08..2026-09"), &s, NULL), CHISO_OK);
  if (s == NULL) return;
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(UNITS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  chiso_bytes out = sentinel();
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_scorer_finish(s, &out, &err), CHISO_MISUSE);
  CHECK(untouched(out));
  chiso_error_free(err);
  CHECK_STATUS(chiso_scorer_finish_series(s, &out, NULL), CHISO_OK);
  CHECK(out.data != NULL && strstr((const char *)out.data, "\"periods\": [\n    \"2026-08\",\n    \"2026-09\"") != NULL);
  CHECK(out.data != NULL && strstr((const char *)out.data, "\"total_changes\"") != NULL);
  chiso_bytes_free(&out);
  CHECK_STATUS(chiso_scorer_finish_series(s, &out, NULL), CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_finish_series(NULL, &out, NULL), CHISO_NULL_ARGUMENT);
  chiso_scorer_free(s);
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09..2026-08"), &s, NULL), CHISO_INVALID_ARGUMENT);
}

static void test_every_split(void) {
  chiso_bytes ref = reference();
  size_t len = strlen(DOSSIERS);
  int identical = 0, runs = 0;
  size_t step = split_step();
  for (size_t cut = 0; cut <= len; cut += step) {
    runs++;
    chiso_scorer *s = loaded_scorer();
    CHECK_STATUS(chiso_scorer_push_csv(s, DOSSIERS, cut, NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_push_csv(s, DOSSIERS + cut, len - cut, NULL), CHISO_OK);
    chiso_bytes out = finish(s);
    if (same_bytes(out, ref)) {
      identical++;
    } else {
      fprintf(stderr, "split at byte %zu gives another scorecard\n", cut);
    }
    chiso_bytes_free(&out);
  }
  printf("two chunks split every %zu byte(s): %d of %d scorecards identical to one push\n", step, identical, runs);
  CHECK(identical == runs);

  /* Byte by byte, with empty chunks (NULL, 0) in between. */
  chiso_scorer *s = loaded_scorer();
  for (size_t i = 0; i < len; i++) {
    CHECK_STATUS(chiso_scorer_push_csv(s, DOSSIERS + i, 1, NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_push_csv(s, NULL, 0, NULL), CHISO_OK);
  }
  chiso_bytes out = finish(s);
  CHECK(same_bytes(out, ref));
  chiso_bytes_free(&out);
  chiso_bytes_free(&ref);
}

static void test_push_dossiers(void) {
  chiso_bytes ref = reference();
  chiso_dossier records[5];
  for (size_t i = 0; i < 5; i++) records[i] = dossier_of(DOSSIER_FIELDS[i]);

  /* The header of the CSV alone, then the rows as structs, in two batches and an empty one. */
  chiso_scorer *s = loaded_scorer();
  CHECK_STATUS(chiso_scorer_push_dossiers(s, records, 2, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_dossiers(s, NULL, 0, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_dossiers(s, records + 2, 3, NULL), CHISO_OK);
  chiso_bytes out = finish(s);
  CHECK(same_bytes(out, ref));
  chiso_bytes_free(&out);

  /* A bad batch counts none of its records and leaves the scorer usable. */
  s = loaded_scorer();
  chiso_error *err = NULL;
  chiso_dossier bad[2] = {records[0], records[1]};
  bad[1].unit.ptr = NULL; /* NULL with a length */
  CHECK_STATUS(chiso_scorer_push_dossiers(s, bad, 2, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  bad[1] = records[1];
  bad[1].rating = str_of("satisfied\xff");
  CHECK_STATUS(chiso_scorer_push_dossiers(s, bad, 2, &err), CHISO_INVALID_UTF8);
  CHECK_ERROR(err, CHISO_INVALID_UTF8);
  CHECK_STATUS(chiso_scorer_push_dossiers(s, NULL, 3, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_push_dossiers(NULL, records, 1, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_push_dossiers(s, records, 5, NULL), CHISO_OK);
  out = finish(s);
  CHECK(same_bytes(out, ref));
  chiso_bytes_free(&out);

  /* A NULL field with length 0 is empty; a record with an unknown unit is rejected, not an error. */
  s = loaded_scorer();
  chiso_dossier odd[2] = {records[0], records[1]};
  odd[0].rating.ptr = NULL;
  odd[0].rating.len = 0;
  odd[1].unit = str_of("nowhere");
  CHECK_STATUS(chiso_scorer_push_dossiers(s, odd, 2, NULL), CHISO_OK);
  out = finish(s);
  CHECK(out.data != NULL && strstr((const char *)out.data, "\"row\": 2") != NULL);
  chiso_bytes_free(&out);
  chiso_bytes_free(&ref);
}

static void test_merge(void) {
  chiso_bytes ref = reference();
  size_t len = strlen(DOSSIERS);
  /* Cut after the header and the first record; each scorer reads its own file with a header. */
  const char *second = strstr(DOSSIERS, "\"HS,2\"");
  size_t header_len = (size_t)(strchr(DOSSIERS, '\n') + 1 - DOSSIERS);
  size_t first_len = (size_t)(second - DOSSIERS);
  chiso_scorer *a = loaded_scorer();
  chiso_scorer *b = loaded_scorer();
  CHECK_STATUS(chiso_scorer_push_csv(a, DOSSIERS, first_len, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(b, DOSSIERS, header_len, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(b, second, len - first_len, NULL), CHISO_OK);
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_scorer_merge(a, a, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_merge(a, NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_merge(NULL, b, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  chiso_scorer *other_period = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-10"), &other_period, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_merge(a, other_period, &err), CHISO_INVALID_ARGUMENT);
  CHECK_ERROR(err, CHISO_INVALID_ARGUMENT);
  chiso_scorer_free(other_period);

  CHECK_STATUS(chiso_scorer_merge(a, b, NULL), CHISO_OK);
  /* `b` is spent: merged again, pushed into or finished, it refuses. */
  CHECK_STATUS(chiso_scorer_merge(a, b, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_push_csv(b, TEXT("x"), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_scorer_free(b);
  chiso_bytes out = finish(a);
  CHECK(same_bytes(out, ref));
  chiso_bytes_free(&out);
  chiso_bytes_free(&ref);
}

/* ---- chiso_scorer_save / chiso_scorer_load ------------------------------------------------- */

/* Saves a scorer (which stays usable), then frees it; the bytes (empty on failure). */
static chiso_bytes save(chiso_scorer *s) {
  chiso_bytes out = sentinel();
  CHECK_STATUS(chiso_scorer_save(s, &out, NULL), CHISO_OK);
  chiso_scorer_free(s);
  if (untouched(out)) {
    out.data = NULL;
    out.len = 0;
  }
  return out;
}

/* A scorer loaded from `bytes`; NULL (and a failed check) otherwise. */
static chiso_scorer *load(const uint8_t *bytes, size_t len) {
  chiso_scorer *s = NULL;
  CHECK_STATUS(chiso_scorer_load(bytes, len, &s, NULL), CHISO_OK);
  return s;
}

/* Loading `bytes` fails with `expected`, and leaves `out` as it was. */
static void check_refused(const uint8_t *bytes, size_t len, chiso_status expected) {
  chiso_scorer *s = (chiso_scorer *)SENTINEL_DATA;
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_scorer_load(bytes, len, &s, &err), expected);
  CHECK_ERROR(err, expected);
  CHECK(s == (chiso_scorer *)SENTINEL_DATA);
}

static void test_partials(void) {
  chiso_bytes ref = reference();
  size_t len = strlen(DOSSIERS);
  const char *second = strstr(DOSSIERS, "\"HS,2\"");
  size_t header_len = (size_t)(strchr(DOSSIERS, '\n') + 1 - DOSSIERS);
  size_t first_len = (size_t)(second - DOSSIERS);
  /* Two parts saved, loaded and merged: the whole stream's scorecard. */
  chiso_scorer *a = loaded_scorer();
  chiso_scorer *b = loaded_scorer();
  CHECK_STATUS(chiso_scorer_push_csv(a, DOSSIERS, first_len, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(b, DOSSIERS, header_len, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(b, second, len - first_len, NULL), CHISO_OK);
  chiso_bytes pa = save(a);
  chiso_bytes pb = save(b);
  CHECK(pa.len > 40 && memcmp(pa.data, "CHISOPRT", 8) == 0);
  chiso_scorer *la = load(pa.data, pa.len);
  chiso_scorer *lb = load(pb.data, pb.len);
  CHECK_STATUS(chiso_scorer_merge(la, lb, NULL), CHISO_OK);
  chiso_scorer_free(lb);
  chiso_bytes merged = finish(la);
  CHECK(same_bytes(merged, ref));
  chiso_bytes_free(&merged);
  /* A loaded scorer takes more records: the first part loaded, the rest pushed. */
  chiso_scorer *more = load(pa.data, pa.len);
  CHECK_STATUS(chiso_scorer_push_csv(more, DOSSIERS, header_len, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(more, second, len - first_len, NULL), CHISO_OK);
  chiso_bytes out = finish(more);
  CHECK(same_bytes(out, ref));
  chiso_bytes_free(&out);

  /* Every damaged byte (every 7th under valgrind) and every cut is refused; nothing is loaded. */
  uint8_t *bad = malloc(pa.len);
  CHECK(bad != NULL);
  if (bad != NULL) {
    for (size_t at = 0; at < pa.len; at += split_step()) {
      memcpy(bad, pa.data, pa.len);
      bad[at] ^= 0x20;
      check_refused(bad, pa.len, at == 8 || at == 9 ? CHISO_PARTIAL_VERSION : CHISO_PARTIAL_CORRUPT);
    }
    for (size_t cut = 0; cut < pa.len; cut += split_step()) check_refused(pa.data, cut, CHISO_PARTIAL_CORRUPT);
    free(bad);
  }
  check_refused((const uint8_t *)"dossier_id,unit\n", 16, CHISO_PARTIAL_CORRUPT);
  /* Arguments. */
  chiso_scorer *s = NULL;
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_scorer_load(NULL, 3, &s, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_load(pa.data, pa.len, NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  chiso_bytes none = sentinel();
  CHECK_STATUS(chiso_scorer_save(NULL, &none, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK(untouched(none));
  /* Another period, or other units and procedures, do not merge with it. */
  chiso_scorer *other_period = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-10"), &other_period, NULL), CHISO_OK);
  chiso_scorer *no_units = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09"), &no_units, NULL), CHISO_OK);
  chiso_bytes po = save(other_period);
  chiso_bytes pn = save(no_units);
  chiso_scorer *mine = load(pa.data, pa.len);
  chiso_scorer *theirs = load(po.data, po.len);
  CHECK_STATUS(chiso_scorer_merge(mine, theirs, &err), CHISO_PARTIAL_MISMATCH);
  CHECK_ERROR(err, CHISO_PARTIAL_MISMATCH);
  chiso_scorer_free(theirs);
  theirs = load(pn.data, pn.len);
  CHECK_STATUS(chiso_scorer_merge(mine, theirs, &err), CHISO_PARTIAL_MISMATCH);
  CHECK_ERROR(err, CHISO_PARTIAL_MISMATCH);
  chiso_scorer_free(theirs);
  /* A spent scorer has nothing to save. */
  chiso_bytes spent = finish(load(pb.data, pb.len));
  chiso_bytes_free(&spent);
  CHECK_STATUS(chiso_scorer_finish(mine, &spent, NULL), CHISO_OK);
  chiso_bytes_free(&spent);
  CHECK_STATUS(chiso_scorer_save(mine, &none, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_scorer_free(mine);
  chiso_bytes_free(&pa);
  chiso_bytes_free(&pb);
  chiso_bytes_free(&po);
  chiso_bytes_free(&pn);
  chiso_bytes_free(&ref);
}

/* One thread's share of the records: its own scorer, its own part of the file (with a header). */
typedef struct {
  const char *parts[2];
  size_t lens[2];
  chiso_scorer *scorer;
  int failures;
} worker;

static void *work(void *arg) {
  worker *w = arg;
  /* No CHECK here: the counters are not shared safely between threads. */
  if (chiso_scorer_new(NULL, 0, "2026-09", 7, &w->scorer, NULL) != CHISO_OK) {
    w->failures++;
    return NULL;
  }
  w->failures += chiso_scorer_load_units_csv(w->scorer, UNITS, strlen(UNITS), NULL) != CHISO_OK;
  w->failures += chiso_scorer_load_procedures_csv(w->scorer, PROCEDURES, strlen(PROCEDURES), NULL) != CHISO_OK;
  for (int i = 0; i < 2; i++)
    for (size_t at = 0; at < w->lens[i]; at += 3) {
      size_t n = w->lens[i] - at < 3 ? w->lens[i] - at : 3;
      w->failures += chiso_scorer_push_csv(w->scorer, w->parts[i] + at, n, NULL) != CHISO_OK;
    }
  return NULL;
}

static void test_threads(void) {
  chiso_bytes ref = reference();
  size_t len = strlen(DOSSIERS);
  const char *second = strstr(DOSSIERS, "\"HS,2\"");
  size_t header_len = (size_t)(strchr(DOSSIERS, '\n') + 1 - DOSSIERS);
  size_t first_len = (size_t)(second - DOSSIERS);
  worker workers[2] = {{{DOSSIERS, ""}, {first_len, 0}, NULL, 0},
                       {{DOSSIERS, second}, {header_len, len - first_len}, NULL, 0}};
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
  for (int i = 0; i < 2; i++) CHECK(pthread_join(threads[i], NULL) == 0);
  CHECK(workers[0].failures == 0 && workers[1].failures == 0);
  CHECK_STATUS(chiso_scorer_merge(workers[0].scorer, workers[1].scorer, NULL), CHISO_OK);
  chiso_scorer_free(workers[1].scorer);
  chiso_bytes out = finish(workers[0].scorer);
  CHECK(same_bytes(out, ref));
  chiso_bytes_free(&out);
  chiso_bytes_free(&ref);
}

static void test_out_of_order(void) {
  chiso_error *err = NULL;
  chiso_bytes out = sentinel();
  chiso_scorer *s = loaded_scorer();
  /* Units and procedures: once, and before any record. */
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(UNITS), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_load_procedures_csv(s, TEXT(PROCEDURES), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  chiso_scorer *fresh = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09"), &fresh, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(fresh, TEXT(DOSSIERS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_units_csv(fresh, TEXT(UNITS), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_scorer_free(fresh);
  /* Counts: once, and for the period. */
  CHECK_STATUS(chiso_scorer_load_counts_json(s, TEXT(COUNTS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_counts_json(s, TEXT(COUNTS), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  /* After finish: everything but free refuses. */
  CHECK_STATUS(chiso_scorer_finish(s, &out, NULL), CHISO_OK);
  chiso_bytes_free(&out);
  out = sentinel();
  CHECK_STATUS(chiso_scorer_finish(s, &out, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK(untouched(out));
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_dossier d = dossier_of(DOSSIER_FIELDS[0]);
  CHECK_STATUS(chiso_scorer_push_dossiers(s, &d, 1, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_load_feedback_csv(s, TEXT(FEEDBACK), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_load_counts_json(s, TEXT(COUNTS), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(UNITS), &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_scorer_free(s);
}

static void test_bad_input(void) {
  chiso_error *err = NULL;
  chiso_bytes out = sentinel();
  chiso_scorer *s = loaded_scorer();
  /* NULL arguments of every scorer function. */
  CHECK_STATUS(chiso_scorer_load_units_csv(NULL, TEXT(UNITS), &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_load_procedures_csv(NULL, TEXT(PROCEDURES), &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_load_feedback_csv(NULL, TEXT(FEEDBACK), &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_load_counts_json(NULL, TEXT(COUNTS), &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_push_csv(NULL, TEXT(DOSSIERS), &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_finish(NULL, &out, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_finish(s, NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_push_csv(s, NULL, 3, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_load_feedback_csv(s, NULL, 0, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_load_counts_json(s, NULL, 0, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  /* Bad JSON and counts for another period leave the scorer as it was. */
  CHECK_STATUS(chiso_scorer_load_counts_json(s, TEXT("{\"period\": 1}"), &err), CHISO_BAD_JSON);
  CHECK_ERROR(err, CHISO_BAD_JSON);
  CHECK_STATUS(chiso_scorer_load_counts_json(s, TEXT("{\"period\": \"2026-10\", \"units\": []}"), &err),
               CHISO_INVALID_INPUT);
  CHECK_ERROR(err, CHISO_INVALID_INPUT);
  CHECK_STATUS(chiso_scorer_load_counts_json(s, TEXT("{\"period\": \"2026-09\", \"units\": [\xff]}"), &err),
               CHISO_INVALID_UTF8);
  CHECK_ERROR(err, CHISO_INVALID_UTF8);

  /* An invalid chunk is refused and the stream goes on; a stream cut inside a character cannot
   * finish until the character is complete. */
  size_t len = strlen(DOSSIERS);
  const char *e_hat = strstr(DOSSIERS, "ệ");
  size_t cut = (size_t)(e_hat - DOSSIERS) + 1; /* inside the three bytes of "ệ" */
  CHECK_STATUS(chiso_scorer_push_csv(s, DOSSIERS, cut, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT("\xff"), &err), CHISO_INVALID_UTF8);
  CHECK_ERROR(err, CHISO_INVALID_UTF8);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT("A"), &err), CHISO_INVALID_UTF8); /* not a continuation */
  CHECK_ERROR(err, CHISO_INVALID_UTF8);
  out = sentinel();
  CHECK_STATUS(chiso_scorer_finish(s, &out, &err), CHISO_INVALID_UTF8);
  CHECK_ERROR(err, CHISO_INVALID_UTF8);
  CHECK(untouched(out));
  CHECK_STATUS(chiso_scorer_push_csv(s, DOSSIERS + cut, len - cut, NULL), CHISO_OK);
  chiso_bytes got = finish(s);
  chiso_bytes ref = reference();
  CHECK(same_bytes(got, ref));
  chiso_bytes_free(&got);
  chiso_bytes_free(&ref);

  /* Bad CSV: units and procedures refused (the scorer unchanged), a dossier header without a required
   * column (the scorer is then spent), bad rows listed as rejected. */
  s = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09"), &s, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(""), &err), CHISO_BAD_HEADER);
  CHECK_ERROR(err, CHISO_BAD_HEADER);
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT("name,parent\nX,\n"), &err), CHISO_MISSING_COLUMN);
  CHECK_ERROR(err, CHISO_MISSING_COLUMN);
  CHECK_STATUS(chiso_scorer_load_procedures_csv(s, TEXT("name,fee\nP,1\n"), &err), CHISO_MISSING_COLUMN);
  CHECK_ERROR(err, CHISO_MISSING_COLUMN);
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT("id,name,parent,level\n\xff,x,,commune\n"), &err),
               CHISO_INVALID_UTF8);
  CHECK_ERROR(err, CHISO_INVALID_UTF8);
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(UNITS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_feedback_csv(s, TEXT("feedback_id,unit\nPA-1,tt\n"), &err), CHISO_MISSING_COLUMN);
  CHECK_ERROR(err, CHISO_MISSING_COLUMN);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), &err), CHISO_MISUSE); /* spent by the failure */
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_scorer_free(s);

  s = loaded_scorer();
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT("dossier_id,unit,received_at\nHS-1,tt,2026-09-01\n"), &err),
               CHISO_MISSING_COLUMN);
  CHECK_ERROR(err, CHISO_MISSING_COLUMN);
  CHECK_STATUS(chiso_scorer_finish(s, &out, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_scorer_free(s);

  s = loaded_scorer();
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT("dossier_id,unit,procedure,received_at\n"
                                             "HS-1,tt,p1,2026-09-31\n"
                                             "HS-2,nowhere,p1,2026-09-01\n"
                                             "HS-3,tt,p1\n"
                                             "HS-4,tt,p1,2026-09-02\n"),
                                        NULL),
               CHISO_OK);
  got = finish(s);
  const char *json = (const char *)got.data;
  CHECK(json != NULL && strstr(json, "\"row\": 2") != NULL && strstr(json, "\"row\": 3") != NULL &&
        strstr(json, "\"row\": 4") != NULL && strstr(json, "\"row\": 5") == NULL);
  chiso_bytes_free(&got);
}

/* ---- golden vectors ------------------------------------------------------------------------
 * score766/<case>/: `expected.json`, optional `profile` (one line); then either `dossiers.csv` with
 * `period` (one line) and optional `units.csv`, `procedures.csv`, `feedback.csv`, `counts.json`
 * (the streaming scorer, the dossiers pushed in two chunks), or `counts.json` alone
 * (chiso_score766_counts_json). */

typedef struct {
  char *text;
  size_t len;
} file_text;

static file_text case_file(const char *dir, const char *name) {
  char path[8192];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  file_text f = {NULL, 0};
  f.text = read_file(path, &f.len);
  return f;
}

static void trim_line(file_text *f) {
  while (f->text != NULL && f->len > 0 && (f->text[f->len - 1] == '\n' || f->text[f->len - 1] == '\r')) f->len--;
}

/* The scorecard of a records case; NULL data when a call failed. */
static chiso_bytes golden_records(const char *dir, file_text profile, file_text dossiers) {
  chiso_bytes out = {NULL, 0};
  file_text period = case_file(dir, "period");
  trim_line(&period);
  chiso_scorer *s = NULL;
  CHECK(period.text != NULL);
  if (period.text == NULL ||
      chiso_scorer_new(profile.text, profile.len, period.text, period.len, &s, NULL) != CHISO_OK) {
    CHECK(s != NULL);
    free(period.text);
    return out;
  }
  free(period.text);
  const char *names[2] = {"units.csv", "procedures.csv"};
  chiso_status (*loaders[2])(chiso_scorer *, const char *, size_t, chiso_error **) = {
      chiso_scorer_load_units_csv, chiso_scorer_load_procedures_csv};
  for (int i = 0; i < 2; i++) {
    file_text f = case_file(dir, names[i]);
    if (f.text != NULL) CHECK_STATUS(loaders[i](s, f.text, f.len, NULL), CHISO_OK);
    free(f.text);
  }
  size_t half = dossiers.len / 2;
  CHECK_STATUS(chiso_scorer_push_csv(s, dossiers.text, half, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(s, dossiers.text + half, dossiers.len - half, NULL), CHISO_OK);
  file_text feedback = case_file(dir, "feedback.csv");
  if (feedback.text != NULL) CHECK_STATUS(chiso_scorer_load_feedback_csv(s, feedback.text, feedback.len, NULL), CHISO_OK);
  free(feedback.text);
  file_text counts = case_file(dir, "counts.json");
  if (counts.text != NULL) CHECK_STATUS(chiso_scorer_load_counts_json(s, counts.text, counts.len, NULL), CHISO_OK);
  free(counts.text);
  out = finish(s);
  return out;
}

static void test_golden(const char *golden_root) {
  char root[4096];
  snprintf(root, sizeof root, "%s/score766", golden_root);
  DIR *d = opendir(root);
  if (d == NULL) {
    printf("golden score766 vectors: none yet (%s)\n", root);
    return;
  }
  int cases = 0, passed = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) != NULL) {
    if (entry->d_name[0] == '.') continue;
    char dir[4096 + 256];
    snprintf(dir, sizeof dir, "%s/%s", root, entry->d_name);
    file_text expected = case_file(dir, "expected.json");
    file_text profile = case_file(dir, "profile");
    trim_line(&profile);
    file_text dossiers = case_file(dir, "dossiers.csv");
    chiso_bytes out = {NULL, 0};
    if (expected.text != NULL && dossiers.text != NULL) {
      out = golden_records(dir, profile, dossiers);
    } else if (expected.text != NULL) {
      file_text counts = case_file(dir, "counts.json");
      CHECK(counts.text != NULL);
      if (counts.text != NULL)
        CHECK_STATUS(chiso_score766_counts_json(counts.text, counts.len, profile.text, profile.len, &out, NULL),
                     CHISO_OK);
      free(counts.text);
    }
    if (expected.text != NULL) {
      cases++;
      int ok = out.data != NULL && out.len == expected.len && memcmp(out.data, expected.text, expected.len) == 0;
      if (!ok) fprintf(stderr, "%s: output differs from expected.json\n", dir);
      CHECK(ok);
      passed += ok;
    }
    chiso_bytes_free(&out);
    free(expected.text);
    free(profile.text);
    free(dossiers.text);
  }
  closedir(d);
  printf("golden score766 vectors: %d of %d identical\n", passed, cases);
}

/* Real exports: the dossier workbook of core/tests/fixtures/exports (Vietnamese headers, date
 * cells, channel words) read whole scores byte for byte as its canonical CSV pushed in chunks;
 * options are set once, before any tabular input; a workbook is not pushed in chunks. */
static void test_input_options(const char *golden_root) {
  char path[4096];
  size_t csv_len = 0, xlsx_len = 0;
  snprintf(path, sizeof path, "%s/../fixtures/exports/dossiers.csv", golden_root);
  char *csv = read_file(path, &csv_len);
  snprintf(path, sizeof path, "%s/../fixtures/exports/dossiers.xlsx", golden_root);
  char *xlsx = read_file(path, &xlsx_len);
  CHECK(csv != NULL && xlsx != NULL);
  if (csv != NULL && xlsx != NULL) {
    chiso_scorer *s = NULL;
    chiso_error *err = NULL;
    CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-08"), &s, NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_push_csv(s, csv, csv_len / 2, NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_push_csv(s, csv + csv_len / 2, csv_len - csv_len / 2, NULL), CHISO_OK);
    chiso_bytes expected = finish(s);
    CHECK(expected.data != NULL && strstr((const char *)expected.data, "\"rejected\": []") != NULL);

    CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-08"), &s, NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_set_input_options(s, TEXT("{\"header_row\": 3}"), &err), CHISO_OK);
    CHECK(err == NULL);
    CHECK_STATUS(chiso_scorer_read_dossiers(s, xlsx, xlsx_len, &err), CHISO_OK);
    CHECK(err == NULL);
    /* Set once, before any tabular input. */
    CHECK_STATUS(chiso_scorer_set_input_options(s, NULL, 0, &err), CHISO_MISUSE);
    CHECK_ERROR(err, CHISO_MISUSE);
    chiso_bytes got = finish(s);
    CHECK(same_bytes(got, expected));
    chiso_bytes_free(&got);

    /* The same CSV read whole, with a column map renaming its channel values. */
    CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-08"), &s, NULL), CHISO_OK);
    const char *map = "{\"values\": {\"channel\": {\"online\": \"online\"}}, \"delimiter\": \",\"}";
    CHECK_STATUS(chiso_scorer_set_input_options(s, TEXT(map), NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_read_dossiers(s, csv, csv_len, NULL), CHISO_OK);
    got = finish(s);
    CHECK(same_bytes(got, expected));
    chiso_bytes_free(&got);

    /* A workbook pushed in chunks; bad options; a missing sheet. */
    CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-08"), &s, NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_push_csv(s, xlsx, xlsx_len, &err), CHISO_MISUSE);
    CHECK_ERROR(err, CHISO_MISUSE);
    CHECK_STATUS(chiso_scorer_set_input_options(s, TEXT("{\"delimiter\": \"|\"}"), &err), CHISO_INVALID_INPUT);
    CHECK_ERROR(err, CHISO_INVALID_INPUT);
    CHECK_STATUS(chiso_scorer_set_input_options(NULL, NULL, 0, NULL), CHISO_NULL_ARGUMENT);
    CHECK_STATUS(chiso_scorer_set_input_options(s, TEXT("{\"sheet\": \"Nope\"}"), NULL), CHISO_OK);
    CHECK_STATUS(chiso_scorer_read_dossiers(s, xlsx, xlsx_len, &err), CHISO_BAD_HEADER);
    CHECK_ERROR(err, CHISO_BAD_HEADER);
    CHECK_STATUS(chiso_scorer_read_dossiers(NULL, xlsx, xlsx_len, NULL), CHISO_NULL_ARGUMENT);
    chiso_scorer_free(s);
    chiso_bytes_free(&expected);
  }
  free(csv);
  free(xlsx);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s GOLDEN_DIR\n", argv[0]);
    return 2;
  }
  test_counts_json();
  test_new();
  test_whole_stream();
  test_series();
  test_every_split();
  test_duplicate_id();
  test_push_dossiers();
  test_merge();
  test_partials();
  test_threads();
  test_out_of_order();
  test_bad_input();
  test_golden(argv[1]);
  test_input_options(argv[1]);
  return test_summary("chiso C suite, Decision 766");
}
