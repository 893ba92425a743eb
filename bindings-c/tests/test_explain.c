/* The C suite, explaining a Decision 766 number: chiso_scorer_set_explain and chiso_scorer_explain
 * list the records behind a metric's shortfall (denominator − numerator of them) for a unit and
 * the units below it; a limit keeps the totals; a metric from the counts file, a call out of
 * order and NULL arguments are refused.
 *
 * Usage: test_explain GOLDEN_DIR   (not read: every suite takes it) */
#include "harness.h"

static const char UNITS[] =
    "id,name,parent,level\n"
    "tt,Thị trấn Phú Mỹ,,commune\n"
    "k1,Khóm 1,tt,neighbourhood\n"
    "k2,Khóm 2,tt,neighbourhood\n";

static const char PROCEDURES[] =
    "procedure,name,field,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,"
    "citizen_applicants\n"
    "p1,Thủ tục đất đai,đất đai,commune,full,1,1,1,1,1\n"
    "p2,Thủ tục hộ tịch,hộ tịch,neighbourhood,partial,0,0,0,0,1\n";

/* On time: HS-1 (tt), HS-3 (k2, open within its due date), HS-5 (k2, no due date). Late: HS-2
 * (k1, finished after its due date plus half a day of supplements, row 3) and HS-4 (k1, two
 * supplement requests, row 6: HS-3 spans rows 4 and 5). */
static const char DOSSIERS[] =
    "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,supplement_requests,supplement_days\n"
    "HS-1,tt,p1,2026-09-03T08:00,2026-09-10,2026-09-09T10:00,online,0,\n"
    "HS-2,k1,p2,2026-09-04,2026-09-06,2026-09-08,direct,1,0.5\n"
    "\"HS-3\nmới\",k2,p1,2026-09-05,2026-09-30,,online,0,\n"
    "HS-4,k1,p1,2026-09-20,2026-09-25,2026-09-21,postal,2,\n"
    "HS-5,k2,p2,2026-09-28,,2026-09-29,online,0,\n";

static const char FEEDBACK[] =
    "feedback_id,unit,received_at,due_at,finished_at,about,unsatisfied,raised_again\n"
    "PA-1,tt,2026-09-02,2026-09-12,2026-09-10,rules,0,0\n"
    "PA-2,k1,2026-09-15,2026-09-20,,staff,1,0\n";

/* A scorer for 2026-09 with units and procedures loaded, opened to explain `metric` of `unit`. */
static chiso_scorer *explaining(const char *unit, const char *metric, int64_t limit) {
  chiso_scorer *s = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09"), &s, NULL), CHISO_OK);
  if (s == NULL) return NULL;
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(UNITS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_procedures_csv(s, TEXT(PROCEDURES), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_set_explain(s, TEXT(unit), TEXT(metric), limit, NULL), CHISO_OK);
  return s;
}

static int has(chiso_bytes json, const char *text) {
  return json.data != NULL && strstr((const char *)json.data, text) != NULL;
}

static void test_lists_the_late_dossiers_of_the_subtree(void) {
  chiso_scorer *s = explaining("tt", "ON_TIME", -1);
  /* Cut in two inside the quoted line break. */
  const char *cut = strchr(DOSSIERS, '\n');
  cut = strchr(cut + 1, '\n');
  cut = strchr(cut + 1, '\n') + 3;
  CHECK_STATUS(chiso_scorer_push_csv(s, DOSSIERS, (size_t)(cut - DOSSIERS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_push_csv(s, cut, strlen(cut), NULL), CHISO_OK);
  chiso_bytes out = sentinel();
  chiso_error *err = NULL;
  CHECK_STATUS(chiso_scorer_explain(s, &out, &err), CHISO_OK);
  CHECK(err == NULL);
  CHECK(has(out, "\"numerator\": 3"));
  CHECK(has(out, "\"denominator\": 5"));
  CHECK(has(out, "\"total_shortfall\": 2"));
  CHECK(has(out, "\"listed\": 2"));
  CHECK(has(out, "\"id\": \"HS-2\""));
  CHECK(has(out, "\"row\": 3"));
  CHECK(has(out, "\"reason\": \"late_finished\""));
  CHECK(has(out, "\"id\": \"HS-4\""));
  CHECK(has(out, "\"row\": 6"));
  CHECK(has(out, "\"reason\": \"late_supplements\""));
  CHECK(has(out, "\"reason_vi\": \"trễ hạn: yêu cầu bổ sung quá một lần\""));
  CHECK(!has(out, "HS-1") && !has(out, "HS-5"));
  chiso_bytes_free(&out);
  /* Spent afterwards. */
  out = sentinel();
  CHECK_STATUS(chiso_scorer_explain(s, &out, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK(untouched(out));
  chiso_scorer_free(s);
}

static void test_a_limit_keeps_the_totals(void) {
  chiso_scorer *s = explaining("tt", "ON_TIME", 1);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  chiso_bytes out = sentinel();
  CHECK_STATUS(chiso_scorer_explain(s, &out, NULL), CHISO_OK);
  CHECK(has(out, "\"total_shortfall\": 2"));
  CHECK(has(out, "\"listed\": 1"));
  CHECK(has(out, "\"limit\": 1"));
  CHECK(has(out, "HS-2") && !has(out, "HS-4"));
  chiso_bytes_free(&out);
  chiso_scorer_free(s);
  /* A neighbourhood alone: its own dossiers only. */
  s = explaining("k2", "ON_TIME", -1);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  out = sentinel();
  CHECK_STATUS(chiso_scorer_explain(s, &out, NULL), CHISO_OK);
  CHECK(has(out, "\"total_shortfall\": 0"));
  CHECK(has(out, "\"items\": []"));
  chiso_bytes_free(&out);
  chiso_scorer_free(s);
}

static void test_feedback(void) {
  chiso_scorer *s = explaining("tt", "FEEDBACK_ON_TIME", -1);
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_feedback_csv(s, TEXT(FEEDBACK), NULL), CHISO_OK);
  chiso_bytes out = sentinel();
  CHECK_STATUS(chiso_scorer_explain(s, &out, NULL), CHISO_OK);
  CHECK(has(out, "\"source\": \"feedback\""));
  CHECK(has(out, "\"total_shortfall\": 1"));
  CHECK(has(out, "\"id\": \"PA-2\""));
  CHECK(has(out, "\"reason\": \"feedback_open_late\""));
  chiso_bytes_free(&out);
  chiso_scorer_free(s);
}

static void test_refusals(void) {
  chiso_error *err = NULL;
  chiso_scorer *s = NULL;
  CHECK_STATUS(chiso_scorer_new(NULL, 0, TEXT("2026-09"), &s, NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_load_units_csv(s, TEXT(UNITS), NULL), CHISO_OK);
  /* A metric from the counts file: the message says where its number comes from. */
  CHECK_STATUS(chiso_scorer_set_explain(s, TEXT("tt"), TEXT("PUBLISH_ON_TIME"), -1, &err), CHISO_INVALID_ARGUMENT);
  if (err != NULL) {
    char msg[512];
    size_t len = 0;
    CHECK_STATUS(chiso_error_message(err, msg, sizeof msg, &len), CHISO_OK);
    CHECK(strstr(msg, "comes from the counts file") != NULL);
  }
  CHECK_ERROR(err, CHISO_INVALID_ARGUMENT);
  /* Refused, the scorer still scores: explaining it is misuse. */
  CHECK_STATUS(chiso_scorer_push_csv(s, TEXT(DOSSIERS), NULL), CHISO_OK);
  CHECK_STATUS(chiso_scorer_set_explain(s, TEXT("tt"), TEXT("ON_TIME"), -1, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  chiso_bytes out = sentinel();
  CHECK_STATUS(chiso_scorer_explain(s, &out, &err), CHISO_MISUSE);
  CHECK_ERROR(err, CHISO_MISUSE);
  CHECK(untouched(out));
  chiso_scorer_free(s);
  /* NULL arguments and invalid UTF-8. */
  CHECK_STATUS(chiso_scorer_set_explain(NULL, TEXT("tt"), TEXT("ON_TIME"), -1, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  s = explaining("tt", "ON_TIME", -1);
  CHECK_STATUS(chiso_scorer_set_explain(s, NULL, 2, TEXT("ON_TIME"), -1, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_set_explain(s, "\xff", 1, TEXT("ON_TIME"), -1, &err), CHISO_INVALID_UTF8);
  CHECK_ERROR(err, CHISO_INVALID_UTF8);
  CHECK_STATUS(chiso_scorer_explain(s, NULL, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK_STATUS(chiso_scorer_explain(NULL, &out, &err), CHISO_NULL_ARGUMENT);
  CHECK_ERROR(err, CHISO_NULL_ARGUMENT);
  CHECK(untouched(out));
  chiso_scorer_free(s);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s GOLDEN_DIR\n", argv[0]);
    return 2;
  }
  test_lists_the_late_dossiers_of_the_subtree();
  test_a_limit_keeps_the_totals();
  test_feedback();
  test_refusals();
  return test_summary("test_explain");
}
