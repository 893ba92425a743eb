/* The C suite of the portal functions: the captured Phú Thọ responses (month 8/2026) imported and
 * checked, every recomputable value reproduced; NULL arguments, invalid UTF-8, unknown endpoints
 * and malformed responses.
 *
 * Usage: test_portal GOLDEN_DIR   (core/tests/golden; the responses are in core/tests/portal) */
#include "harness.h"

static const char *ENDPOINTS[6] = {"transparency",      "dvc-progress-tree",
                                   "provide-online-tree", "dossier-digitized",
                                   "formality-online-payment-tree", "handling-satisfaction"};

/* Reads the responses of one view; returns how many were found. The caller frees each `json`. */
static size_t read_view(const char *golden_root, const char *view, chiso_portal_file files[6]) {
  size_t n = 0;
  for (size_t i = 0; i < 6; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/../portal/phu-tho-2026-08/%s/%s/month.json", golden_root, view,
             ENDPOINTS[i]);
    size_t len = 0;
    char *json = read_file(path, &len);
    if (json == NULL) continue;
    files[n].endpoint = ENDPOINTS[i];
    files[n].endpoint_len = strlen(ENDPOINTS[i]);
    files[n].json = json;
    files[n].json_len = len;
    n++;
  }
  return n;
}

static void free_view(chiso_portal_file files[6], size_t n) {
  for (size_t i = 0; i < n; i++) free((void *)files[i].json);
}

/* The text of `out` contains `needle`. */
static int has(chiso_bytes out, const char *needle) {
  return out.data != NULL && strstr((const char *)out.data, needle) != NULL;
}

static void test_check_reproduces_the_month(const char *golden_root) {
  chiso_portal_file files[6];
  size_t n = read_view(golden_root, "all", files);
  CHECK(n == 6);
  chiso_bytes out = sentinel();
  CHECK_STATUS(chiso_portal_check_json(files, n, TEXT("2026-08"), NULL, 0, &out, NULL), CHISO_OK);
  CHECK(has(out, "\"total\": 3281"));
  CHECK(has(out, "\"reproduced\": 3118"));
  CHECK(has(out, "\"disagreements\": 0"));
  CHECK(has(out, "\"not_recomputable\": 163"));
  chiso_bytes_free(&out);

  chiso_bytes counts = sentinel();
  CHECK_STATUS(chiso_portal_import_json(files, n, TEXT("2026-08"), &counts, NULL), CHISO_OK);
  CHECK(has(counts, "\"period\": \"2026-08\""));
  CHECK(has(counts, "\"E_CERTIFIED_COPY\": \"full\""));
  CHECK(has(counts, "\"code\": \"H44.01\""));
  chiso_bytes_free(&counts);
  free_view(files, n);

  n = read_view(golden_root, "procedure-2.000815", files);
  CHECK(n == 5);
  out = sentinel();
  CHECK_STATUS(chiso_portal_check_json(files, n, TEXT("2026-08"), TEXT("portal-2026"), &out, NULL), CHISO_OK);
  CHECK(has(out, "\"reproduced\": 2298"));
  CHECK(has(out, "\"disagreements\": 0"));
  chiso_bytes_free(&out);
  free_view(files, n);
}

static void test_bad_arguments(void) {
  static const char OK[] = "{\"data\": {\"overview\": {\"departmentId\": \"p\"}, \"evaluation\": []}}";
  chiso_portal_file one = {"transparency", 12, OK, sizeof OK - 1};
  chiso_error *err = NULL;
  chiso_bytes out = sentinel();

  CHECK_STATUS(chiso_portal_import_json(NULL, 1, TEXT("2026-08"), &out, &err), CHISO_NULL_ARGUMENT);
  CHECK(untouched(out));
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_portal_import_json(&one, 1, NULL, 0, &out, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_portal_import_json(&one, 1, TEXT("2026-08"), NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_portal_import_json(&one, 1, TEXT("2026-13"), &out, &err), CHISO_INVALID_ARGUMENT);
  CHECK_ERROR(err, CHISO_INVALID_ARGUMENT);
  CHECK_STATUS(chiso_portal_check_json(&one, 1, TEXT("2026-08"), TEXT("nope"), &out, &err),
               CHISO_UNKNOWN_PROFILE);
  CHECK_ERROR(err, CHISO_UNKNOWN_PROFILE);
  CHECK(untouched(out));

  chiso_portal_file null_json = {"transparency", 12, NULL, 0};
  CHECK_STATUS(chiso_portal_check_json(&null_json, 1, TEXT("2026-08"), NULL, 0, &out, &err),
               CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  chiso_portal_file bad_utf8 = {"transparency\xff", 13, OK, sizeof OK - 1};
  CHECK_STATUS(chiso_portal_check_json(&bad_utf8, 1, TEXT("2026-08"), NULL, 0, &out, &err),
               CHISO_INVALID_UTF8);
  CHECK_ERROR(err, CHISO_INVALID_UTF8);

  /* An unknown endpoint, a repeated one, none at all: invalid input. */
  chiso_portal_file unknown = {"nope", 4, OK, sizeof OK - 1};
  CHECK_STATUS(chiso_portal_import_json(&unknown, 1, TEXT("2026-08"), &out, &err), CHISO_INVALID_INPUT);
  CHECK_ERROR(err, CHISO_INVALID_INPUT);
  chiso_portal_file twice[2] = {one, one};
  CHECK_STATUS(chiso_portal_import_json(twice, 2, TEXT("2026-08"), &out, &err), CHISO_INVALID_INPUT);
  CHECK_ERROR(err, CHISO_INVALID_INPUT);
  CHECK_STATUS(chiso_portal_import_json(&one, 0, TEXT("2026-08"), &out, &err), CHISO_INVALID_INPUT);
  CHECK_ERROR(err, CHISO_INVALID_INPUT);
  CHECK(untouched(out));

  /* A response that does not parse names its line; one of another shape its JSON path. */
  static const char CUT[] = "{\"data\": ";
  chiso_portal_file cut = {"transparency", 12, CUT, sizeof CUT - 1};
  CHECK_STATUS(chiso_portal_check_json(&cut, 1, TEXT("2026-08"), NULL, 0, &out, &err), CHISO_BAD_JSON);
  CHECK_ERROR(err, CHISO_BAD_JSON);
  static const char NEGATIVE[] =
      "{\"data\": {\"parent\": {\"departmentId\": \"p\", \"totalOnTime\": -1}, \"children\": []}}";
  chiso_portal_file negative = {"dvc-progress-tree", 17, NEGATIVE, sizeof NEGATIVE - 1};
  CHECK_STATUS(chiso_portal_check_json(&negative, 1, TEXT("2026-08"), NULL, 0, &out, &err),
               CHISO_INVALID_INPUT);
  CHECK(err != NULL);
  if (err != NULL) {
    char msg[512];
    CHECK_STATUS(chiso_error_message(err, msg, sizeof msg, NULL), CHISO_OK);
    CHECK(strstr(msg, "dvc-progress-tree: at `data.parent.totalOnTime`: expected a non-negative whole number") != NULL);
    chiso_error_free(err);
    err = NULL;
  }
  CHECK(untouched(out));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s GOLDEN_DIR\n", argv[0]);
    return 2;
  }
  test_check_reproduces_the_month(argv[1]);
  test_bad_arguments();
  return test_summary("test_portal");
}
