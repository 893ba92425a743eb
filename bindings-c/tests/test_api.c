/* The C suite: every exported function, with NULL arguments, invalid UTF-8, bad JSON and CSV, calls
 * out of order, and the golden vectors (compared byte for byte).
 *
 * Usage: test_api GOLDEN_DIR   (core/tests/golden) */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>

#include "harness.h"

static const char UNITS[] =
    "id,name,parent,level\n"
    "t,Town,,commune\n"
    "k1,K1,t,neighbourhood\n"
    "k2,K2,t,neighbourhood\n";

static const char OBSERVATIONS[] =
    "unit,indicator,period,numerator,denominator\n"
    "k1,dossiers_fully_online,2025,4,5\n"
    "k2,dossiers_fully_online,2025,3,5\n"
    "k2,dossiers_fully_online,2025,9,5\n"; /* rejected: numerator above denominator */

static const char BAD_UTF8[] = "unit,indicator\xff\xfe,period\n";

/* ---- version, statuses, errors, bytes ---------------------------------------------------- */

static void test_version(void) {
  char expected[64];
  snprintf(expected, sizeof expected, "%d.%d.%d", CHISO_VERSION_MAJOR, CHISO_VERSION_MINOR,
           CHISO_VERSION_PATCH);
  CHECK(strcmp(chiso_version(), CHISO_VERSION) == 0);
  CHECK(strcmp(CHISO_VERSION, expected) == 0);
}

static void test_status_names(void) {
  CHECK(strcmp(chiso_status_name(CHISO_OK), "ok") == 0);
  CHECK(strcmp(chiso_status_name(CHISO_NULL_ARGUMENT), "null_argument") == 0);
  CHECK(strcmp(chiso_status_name(CHISO_INVALID_UTF8), "invalid_utf8") == 0);
  CHECK(strcmp(chiso_status_name(CHISO_MISUSE), "misuse") == 0);
  CHECK(strcmp(chiso_status_name(CHISO_PANIC), "panic") == 0);
  CHECK(strcmp(chiso_status_name(CHISO_BAD_JSON), "bad_json") == 0);
  CHECK(strcmp(chiso_status_name(CHISO_MISSING_COLUMN), "missing_column") == 0);
  CHECK(strcmp(chiso_status_name(-1), "other_error") == 0);
  CHECK(strcmp(chiso_status_name(1000), "other_error") == 0);
}

static void test_errors(void) {
  chiso_error *err = NULL;
  chiso_bytes out = sentinel();
  CHECK_STATUS(chiso_evaluate_json(NULL, 0, NULL, 0, NULL, 0, TEXT("2026-01-01"), &out, &err),
               CHISO_NULL_ARGUMENT);
  CHECK(untouched(out));
  CHECK(err != NULL);

  /* The size query, then a buffer too small: cut and terminated, length of the whole message. */
  size_t full = 0;
  CHECK_STATUS(chiso_error_message(err, NULL, 0, &full), CHISO_OK);
  CHECK(full > 10);
  char small[8];
  memset(small, 'x', sizeof small);
  size_t len = 0;
  CHECK_STATUS(chiso_error_message(err, small, sizeof small, &len), CHISO_OK);
  CHECK(len == full);
  CHECK(strlen(small) == sizeof small - 1);
  char *whole = malloc(full + 1);
  CHECK(whole != NULL);
  if (whole != NULL) {
    CHECK_STATUS(chiso_error_message(err, whole, full + 1, NULL), CHISO_OK);
    CHECK(strlen(whole) == full);
    CHECK(strstr(whole, "observations_csv") != NULL);
    CHECK(strncmp(whole, small, sizeof small - 1) == 0);
    free(whole);
  }
  /* NULL arguments of the error functions themselves. */
  CHECK_STATUS(chiso_error_message(err, NULL, 4, &len), CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_error_message(NULL, small, sizeof small, &len), CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_error_status(NULL), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  chiso_error_free(NULL);

  /* Success leaves `*error` alone. */
  chiso_error *keep = (chiso_error *)(uintptr_t)0x1;
  chiso_bytes plan = sentinel();
  CHECK_STATUS(chiso_plan_builtin_json(&plan, &keep), CHISO_OK);
  CHECK(keep == (chiso_error *)(uintptr_t)0x1);
  chiso_bytes_free(&plan);
}

static void test_bytes(void) {
  chiso_bytes b = sentinel();
  CHECK_STATUS(chiso_plan_builtin_json(&b, NULL), CHISO_OK);
  CHECK(b.data != NULL && b.len > 1000);
  CHECK(b.data[b.len] == 0); /* NUL-terminated */
  CHECK(b.data[0] == '{' && b.data[b.len - 1] == '}');
  chiso_bytes_free(&b);
  CHECK(b.data == NULL && b.len == 0);
  chiso_bytes_free(&b); /* second free: nothing */
  chiso_bytes_free(NULL);
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_plan_builtin_json(NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
}

/* ---- chiso_evaluate_json -------------------------------------------------------------------- */

static void expect_evaluate(const char *plan, size_t plan_len, const char *units, size_t units_len,
                            const char *obs, size_t obs_len, const char *as_of, size_t as_of_len,
                            chiso_status expected, int line) {
  chiso_error *err = NULL;
  chiso_bytes out = sentinel();
  chiso_status got =
      chiso_evaluate_json(plan, plan_len, units, units_len, obs, obs_len, as_of, as_of_len, &out, &err);
  if (got != expected) fprintf(stderr, "(from line %d)\n", line);
  CHECK_STATUS(got, expected);
  if (expected == CHISO_OK) {
    CHECK(err == NULL);
    CHECK(!untouched(out));
    chiso_bytes_free(&out);
  } else {
    CHECK(untouched(out));
    CHECK_ERROR(err, expected);
    /* The same call without an error pointer gives the same status. */
    CHECK_STATUS(chiso_evaluate_json(plan, plan_len, units, units_len, obs, obs_len, as_of, as_of_len,
                                     &out, NULL),
                 expected);
    CHECK(untouched(out));
  }
}

/* Variadic so that TEXT() expands to its two arguments. */
#define EXPECT_EVALUATE(...) expect_evaluate(__VA_ARGS__, __LINE__)

/* A copy of `text` with the first `from` replaced by `to`; the caller frees. */
static char *replace_first(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  if (at == NULL) return NULL;
  size_t head = (size_t)(at - text), from_len = strlen(from), to_len = strlen(to);
  size_t tail = strlen(at + from_len);
  char *out = malloc(head + to_len + tail + 1);
  if (out == NULL) return NULL;
  memcpy(out, text, head);
  memcpy(out + head, to, to_len);
  memcpy(out + head + to_len, at + from_len, tail + 1);
  return out;
}

static void test_evaluate(void) {
  /* Success, with the built-in plan and with units or without. */
  chiso_bytes out = sentinel();
  CHECK_STATUS(chiso_evaluate_json(NULL, 0, TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-28"), &out, NULL),
               CHISO_OK);
  const char *json = (const char *)out.data;
  CHECK(strstr(json, "\"as_of\": \"2026-11-28\"") != NULL);
  CHECK(strstr(json, "\"unit\": \"k1\"") != NULL);
  CHECK(strstr(json, "\"source\": \"observations.csv\"") != NULL); /* the rejected row */
  chiso_bytes_free(&out);
  EXPECT_EVALUATE(NULL, 0, NULL, 0, TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_OK);

  /* NULL arguments: the required ones. A NULL optional input ignores its length. */
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), NULL, 10, TEXT("2026-11-28"), CHISO_NULL_ARGUMENT);
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), TEXT(OBSERVATIONS), NULL, 10, CHISO_NULL_ARGUMENT);
  EXPECT_EVALUATE(NULL, 99, NULL, 99, TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_OK);
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_evaluate_json(NULL, 0, NULL, 0, TEXT(OBSERVATIONS), TEXT("2026-11-28"), NULL, &err),
               CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  /* A length over PTRDIFF_MAX is refused before anything is read. */
  EXPECT_EVALUATE(NULL, 0, NULL, 0, OBSERVATIONS, SIZE_MAX, TEXT("2026-11-28"), CHISO_INVALID_ARGUMENT);

  /* Invalid UTF-8 in each text input. */
  EXPECT_EVALUATE(TEXT(BAD_UTF8), TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_INVALID_UTF8);
  EXPECT_EVALUATE(NULL, 0, TEXT(BAD_UTF8), TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_INVALID_UTF8);
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), TEXT(BAD_UTF8), TEXT("2026-11-28"), CHISO_INVALID_UTF8);
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-2\xc3"), CHISO_INVALID_UTF8);

  /* Bad dates. */
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-13-01"), CHISO_INVALID_ARGUMENT);
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), TEXT(OBSERVATIONS), TEXT(""), CHISO_INVALID_ARGUMENT);

  /* Bad JSON, and a plan that parses but contradicts itself. */
  EXPECT_EVALUATE(TEXT("{"), TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_BAD_JSON);
  EXPECT_EVALUATE(TEXT("[1, 2]"), TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_BAD_JSON);
  EXPECT_EVALUATE(TEXT(""), TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_BAD_JSON);
  chiso_bytes plan = sentinel();
  CHECK_STATUS(chiso_plan_builtin_json(&plan, NULL), CHISO_OK);
  char *contradiction = replace_first((const char *)plan.data, "\"id\": \"staff\"", "\"id\": \"nobody\"");
  CHECK(contradiction != NULL);
  if (contradiction != NULL) {
    EXPECT_EVALUATE(TEXT(contradiction), TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-28"),
                    CHISO_INVALID_PLAN);
    free(contradiction);
  }

  /* The built-in plan given back as JSON gives the same bytes as no plan. */
  chiso_bytes with_plan = sentinel(), without = sentinel();
  CHECK_STATUS(chiso_evaluate_json((const char *)plan.data, plan.len, TEXT(UNITS), TEXT(OBSERVATIONS),
                                   TEXT("2026-11-28"), &with_plan, NULL),
               CHISO_OK);
  CHECK_STATUS(chiso_evaluate_json(NULL, 0, TEXT(UNITS), TEXT(OBSERVATIONS), TEXT("2026-11-28"), &without, NULL),
               CHISO_OK);
  CHECK(with_plan.len == without.len && memcmp(with_plan.data, without.data, without.len) == 0);
  chiso_bytes_free(&with_plan);
  chiso_bytes_free(&without);
  chiso_bytes_free(&plan);

  /* Bad CSV: empty, or a missing column. */
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), TEXT(""), TEXT("2026-11-28"), CHISO_BAD_HEADER);
  EXPECT_EVALUATE(NULL, 0, TEXT(""), TEXT(OBSERVATIONS), TEXT("2026-11-28"), CHISO_BAD_HEADER);
  EXPECT_EVALUATE(NULL, 0, TEXT(UNITS), TEXT("unit,indicator,period,numerator\nk1,x,2025,1\n"),
                  TEXT("2026-11-28"), CHISO_MISSING_COLUMN);

  /* Bad rows are not errors: a cycle of parents is listed in `rejected`, the good rows are kept. */
  CHECK_STATUS(chiso_evaluate_json(NULL, 0, TEXT("id,name,parent\nt,T,\na,A,b\nb,B,a\nk1,K1,t\n"),
                                   TEXT(OBSERVATIONS), TEXT("2026-11-28"), &out, NULL),
               CHISO_OK);
  CHECK(strstr((const char *)out.data, "makes a cycle") != NULL);
  CHECK(strstr((const char *)out.data, "\"unit\": \"k1\"") != NULL);
  chiso_bytes_free(&out);
}

/* ---- golden vectors ------------------------------------------------------------------------ */

static int run_golden_case(const char *dir) {
  char path[4096];
  size_t plan_len = 0, units_len = 0, obs_len = 0, as_of_len = 0, expected_len = 0;
  snprintf(path, sizeof path, "%s/plan.json", dir);
  char *plan = read_file(path, &plan_len);
  snprintf(path, sizeof path, "%s/units.csv", dir);
  char *units = read_file(path, &units_len);
  snprintf(path, sizeof path, "%s/observations.csv", dir);
  char *obs = read_file(path, &obs_len);
  snprintf(path, sizeof path, "%s/as_of", dir);
  char *as_of = read_file(path, &as_of_len);
  snprintf(path, sizeof path, "%s/expected.json", dir);
  char *expected = read_file(path, &expected_len);
  CHECK(obs != NULL && as_of != NULL && expected != NULL);
  int ok = 0;
  if (obs != NULL && as_of != NULL && expected != NULL) {
    while (as_of_len > 0 && (as_of[as_of_len - 1] == '\n' || as_of[as_of_len - 1] == '\r')) as_of_len--;
    chiso_bytes out = sentinel();
    chiso_error *err = NULL;
    CHECK_STATUS(chiso_evaluate_json(plan, plan_len, units, units_len, obs, obs_len, as_of, as_of_len, &out, &err),
                 CHISO_OK);
    if (err != NULL) chiso_error_free(err);
    if (!untouched(out)) {
      ok = out.len == expected_len && memcmp(out.data, expected, expected_len) == 0;
      if (!ok) fprintf(stderr, "%s: output differs from expected.json\n", dir);
      CHECK(ok);
      chiso_bytes_free(&out);
    }
  }
  free(plan);
  free(units);
  free(obs);
  free(as_of);
  free(expected);
  return ok;
}

static void test_golden(const char *golden_root) {
  char evaluate_dir[4096];
  snprintf(evaluate_dir, sizeof evaluate_dir, "%s/evaluate", golden_root);
  DIR *d = opendir(evaluate_dir);
  CHECK(d != NULL);
  if (d == NULL) return;
  int cases = 0, passed = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) != NULL) {
    if (entry->d_name[0] == '.') continue;
    char dir[4096 + 256];
    snprintf(dir, sizeof dir, "%s/%s", evaluate_dir, entry->d_name);
    cases++;
    passed += run_golden_case(dir);
  }
  closedir(d);
  printf("golden evaluate vectors: %d of %d identical\n", passed, cases);
  CHECK(cases >= 2);
}

/* ---- chiso_report_by_role_json --------------------------------------------------------------- */

static void test_by_role(const char *golden_root) {
  char path[4096];
  size_t units_len = 0, obs_len = 0;
  snprintf(path, sizeof path, "%s/evaluate/sample-town/units.csv", golden_root);
  char *units = read_file(path, &units_len);
  snprintf(path, sizeof path, "%s/evaluate/sample-town/observations.csv", golden_root);
  char *obs = read_file(path, &obs_len);
  CHECK(units != NULL && obs != NULL);
  if (units != NULL && obs != NULL) {
    chiso_bytes out = sentinel();
    chiso_error *err = NULL;
    CHECK_STATUS(chiso_report_by_role_json(NULL, 0, units, units_len, obs, obs_len, TEXT("2026-11-28"), &out, &err),
                 CHISO_OK);
    CHECK(err == NULL);
    const char *json = (const char *)out.data;
    CHECK(json != NULL && strstr(json, "\"id\": \"town_police\"") != NULL);
    /* The police's six results that need action lead its list. */
    const char *police = json == NULL ? NULL : strstr(json, "\"id\": \"town_police\"");
    CHECK(police != NULL && strstr(police, "\"attention\": 6") != NULL);
    CHECK(json != NULL && strstr(json, "\"unassigned\": []") != NULL);
    chiso_bytes_free(&out);
    /* Errors as chiso_evaluate_json: a NULL required argument, a bad date; `out` untouched. */
    out = sentinel();
    CHECK_STATUS(chiso_report_by_role_json(NULL, 0, units, units_len, NULL, 0, TEXT("2026-11-28"), &out, &err),
                 CHISO_NULL_ARGUMENT);
    CHECK(untouched(out));
    CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
    err = NULL;
    CHECK_STATUS(chiso_report_by_role_json(NULL, 0, units, units_len, obs, obs_len, TEXT("2026-13-01"), &out, NULL),
                 CHISO_INVALID_ARGUMENT);
    CHECK(untouched(out));
    /* The evaluation's settings in options_json: pro rata, the town's staff 39 of 42 expected by
       28 November; a setting of the wrong type is bad JSON. */
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, units, units_len, obs, obs_len, TEXT("2026-11-28"),
                                                  TEXT("{\"pro_rata\": true, \"unit\": \"tt-phu-my\"}"), &out, &err),
                 CHISO_OK);
    CHECK(err == NULL);
    const char *pro = (const char *)out.data;
    CHECK(pro != NULL && strstr(pro, "\"expected_numerator\": 39") != NULL);
    CHECK(pro != NULL && strstr(pro, "\"unit\": \"khom-thi-1\"") == NULL);
    chiso_bytes_free(&out);
    out = sentinel();
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, units, units_len, obs, obs_len, TEXT("2026-11-28"),
                                                  TEXT("{\"pro_rata\": \"yes\"}"), &out, &err),
                 CHISO_BAD_JSON);
    CHECK(untouched(out));
    CHECK_ERROR(err, CHISO_BAD_JSON);
  }
  free(units);
  free(obs);
}

/* Real exports (exports.md): the observations workbook of core/tests/fixtures/exports (a title
 * block, Vietnamese headers) and a `;` CSV with a column map evaluate as the canonical CSV. */
static void test_input_options(const char *golden_root) {
  char path[4096];
  size_t csv_len = 0, xlsx_len = 0;
  snprintf(path, sizeof path, "%s/../fixtures/exports/observations.csv", golden_root);
  char *csv = read_file(path, &csv_len);
  snprintf(path, sizeof path, "%s/../fixtures/exports/observations.xlsx", golden_root);
  char *xlsx = read_file(path, &xlsx_len);
  CHECK(csv != NULL && xlsx != NULL);
  if (csv != NULL && xlsx != NULL) {
    chiso_bytes expected = sentinel(), out = sentinel();
    chiso_error *err = NULL;
    CHECK_STATUS(chiso_evaluate_json(NULL, 0, NULL, 0, csv, csv_len, TEXT("2026-11-28"), &expected, NULL), CHISO_OK);
    /* The workbook's bytes as they are (not UTF-8), its header found under the title block. */
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, NULL, 0, xlsx, xlsx_len, TEXT("2026-11-28"), NULL, 0, &out,
                                                  &err),
                 CHISO_OK);
    CHECK(err == NULL && same_bytes(out, expected));
    chiso_bytes_free(&out);
    out = sentinel();
    const char *sheet = "{\"sheet\": \"S\u1ed1 li\u1ec7u\", \"header_row\": 4}";
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, NULL, 0, xlsx, xlsx_len, TEXT("2026-11-28"), TEXT(sheet),
                                                  &out, NULL),
                 CHISO_OK);
    CHECK(same_bytes(out, expected));
    chiso_bytes_free(&out);
    /* A `;` export with its own headers and a value map. */
    const char *export_csv =
        "DV;indicator;period;numerator;denominator\n"
        "Kh\xc3\xb3m 1;dossiers_fully_online;2025;812;1000\n"
        "k2;dossiers_fully_online;2025;640;900\n"
        "k1;dossiers_fully_online;2024;700;1000\n"
        "k2;dossiers_fully_online;2024;500;800\n";
    const char *map = "{\"delimiter\": \";\", \"columns\": {\"unit\": \"DV\"}, "
                      "\"values\": {\"unit\": {\"Kh\u00f3m 1\": \"k1\"}}}";
    out = sentinel();
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, NULL, 0, TEXT(export_csv), TEXT("2026-11-28"), TEXT(map),
                                                  &out, &err),
                 CHISO_OK);
    CHECK(err == NULL && same_bytes(out, expected));
    chiso_bytes_free(&out);
    /* Bad options: an unknown key, an unknown column; `out` untouched. */
    out = sentinel();
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, NULL, 0, csv, csv_len, TEXT("2026-11-28"),
                                                  TEXT("{\"sheets\": 1}"), &out, &err),
                 CHISO_BAD_JSON);
    CHECK(untouched(out));
    CHECK_ERROR(err, CHISO_BAD_JSON);
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, NULL, 0, csv, csv_len, TEXT("2026-11-28"),
                                                  TEXT("{\"columns\": {\"nowhere\": \"x\"}}"), &out, &err),
                 CHISO_INVALID_INPUT);
    CHECK(untouched(out));
    CHECK_ERROR(err, CHISO_INVALID_INPUT);
    /* A mapped header missing from the file. */
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, NULL, 0, csv, csv_len, TEXT("2026-11-28"),
                                                  TEXT("{\"columns\": {\"unit\": \"DV\"}}"), &out, &err),
                 CHISO_MISSING_COLUMN);
    CHECK_ERROR(err, CHISO_MISSING_COLUMN);
    /* Not a workbook nor UTF-8: refused at the boundary. */
    CHECK_STATUS(chiso_evaluate_with_options_json(NULL, 0, NULL, 0, TEXT("unit\xff"), TEXT("2026-11-28"), NULL, 0,
                                                  &out, NULL),
                 CHISO_INVALID_UTF8);
    chiso_bytes_free(&expected);
  }
  free(csv);
  free(xlsx);
}

/* ---- records: chiso_evaluate_with_records_json, chiso_derive_json, chiso_explain_indicator_json -- */

static const char RECORDS_DOSSIERS[] = "dossier_id,unit,procedure,received_at,channel\n"
                                       "d1,khom-thi-1,P1,2026-03-10,online\n"
                                       "d2,khom-thi-1,P1,2026-03-11,direct\n"
                                       "d3,khom-thi-1,P1,2026-03-12,online\n"
                                       "d4,khom-thi-1,P1,2026-03-40,online\n";

static void test_records(const char *golden_root) {
  char path[4096];
  size_t units_len = 0;
  snprintf(path, sizeof path, "%s/evaluate/sample-town/units.csv", golden_root);
  char *units = read_file(path, &units_len);
  CHECK(units != NULL);
  if (units != NULL) {
    chiso_bytes out = sentinel();
    chiso_error *err = NULL;
    /* No typed observation: the records' 2 of 3 online dossiers are used, and said to be. */
    CHECK_STATUS(chiso_evaluate_with_records_json(NULL, 0, units, units_len,
                                                  TEXT("unit,indicator,period,numerator,denominator\n"),
                                                  TEXT("2026-11-28"), TEXT(RECORDS_DOSSIERS), NULL, 0, NULL, 0, NULL,
                                                  0, &out, &err),
                 CHISO_OK);
    CHECK(err == NULL);
    const char *json = (const char *)out.data;
    CHECK(json != NULL && strstr(json, "\"source\": \"derived\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"rule\": \"online_dossiers\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"row\": 5") != NULL);
    chiso_bytes_free(&out);
    /* A typed observation of the year wins. */
    out = sentinel();
    CHECK_STATUS(chiso_evaluate_with_records_json(
                     NULL, 0, units, units_len,
                     TEXT("unit,indicator,period,numerator,denominator\nkhom-thi-1,dossiers_fully_online,2026,9,10\n"),
                     TEXT("2026-11-28"), TEXT(RECORDS_DOSSIERS), NULL, 0, NULL, 0, NULL, 0, &out, &err),
                 CHISO_OK);
    json = (const char *)out.data;
    CHECK(json != NULL && strstr(json, "\"source\": \"typed\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"rule\": \"online_dossiers\"") == NULL);
    chiso_bytes_free(&out);
    out = sentinel();
    CHECK_STATUS(chiso_evaluate_with_records_json(NULL, 0, units, units_len, TEXT("unit\n"), TEXT("2026-11-28"), NULL,
                                                  0, NULL, 0, NULL, 0, NULL, 0, &out, &err),
                 CHISO_NULL_ARGUMENT);
    CHECK(untouched(out));
    CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
    err = NULL;

    /* The observations themselves, with their rule. */
    CHECK_STATUS(chiso_derive_json(units, units_len, TEXT(RECORDS_DOSSIERS), NULL, 0, NULL, 0, TEXT("2026-01"),
                                   TEXT("2026-12"), NULL, 0, &out, &err),
                 CHISO_OK);
    json = (const char *)out.data;
    CHECK(json != NULL && strstr(json, "\"source\": \"online_dossiers\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"denominator\": 3") != NULL);
    chiso_bytes_free(&out);
    out = sentinel();
    CHECK_STATUS(chiso_derive_json(units, units_len, TEXT(RECORDS_DOSSIERS), NULL, 0, NULL, 0, TEXT("2026-13"),
                                   TEXT("2026-12"), NULL, 0, &out, NULL),
                 CHISO_INVALID_ARGUMENT);
    CHECK(untouched(out));

    /* The one dossier behind the shortfall, with its reason; points are not records. */
    CHECK_STATUS(chiso_explain_indicator_json(units, units_len, TEXT(RECORDS_DOSSIERS), NULL, 0,
                                              TEXT("dossiers_fully_online"), TEXT("tt-phu-my"), TEXT("2026"), 0, &out,
                                              &err),
                 CHISO_OK);
    json = (const char *)out.data;
    CHECK(json != NULL && strstr(json, "\"id\": \"d2\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"reason\": \"not_online_channel\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"id\": \"d1\"") == NULL);
    chiso_bytes_free(&out);
    out = sentinel();
    CHECK_STATUS(chiso_explain_indicator_json(units, units_len, TEXT(RECORDS_DOSSIERS), NULL, 0,
                                              TEXT("service_quality_improves"), TEXT("tt-phu-my"), TEXT("2026"), 0,
                                              &out, &err),
                 CHISO_INVALID_ARGUMENT);
    CHECK(untouched(out));
    CHECK_ERROR(err, CHISO_INVALID_ARGUMENT);
  }
  free(units);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s GOLDEN_DIR\n", argv[0]);
    return 2;
  }
  test_version();
  test_status_names();
  test_errors();
  test_bytes();
  test_evaluate();
  test_golden(argv[1]);
  test_by_role(argv[1]);
  test_input_options(argv[1]);
  test_records(argv[1]);
  return test_summary("chiso C suite");
}
