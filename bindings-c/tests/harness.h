/* A few assertion macros for the C suite: every check counts, a failure prints its line and the
 * run goes on; main() returns non-zero when any check failed. */
#ifndef CHISO_TEST_HARNESS_H
#define CHISO_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "chiso.h"

static int checks_run = 0;
static int checks_failed = 0;

#define CHECK(cond)                                                                   \
  do {                                                                                \
    checks_run++;                                                                     \
    if (!(cond)) {                                                                    \
      checks_failed++;                                                                \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);      \
    }                                                                                 \
  } while (0)

/* Checks a status, printing both names when it differs. */
#define CHECK_STATUS(actual, expected)                                                  \
  do {                                                                                  \
    chiso_status got_ = (actual);                                                       \
    checks_run++;                                                                       \
    if (got_ != (expected)) {                                                           \
      checks_failed++;                                                                  \
      fprintf(stderr, "%s:%d: status %s, expected %s\n", __FILE__, __LINE__,           \
              chiso_status_name((int)got_), chiso_status_name((int)(expected)));        \
    }                                                                                   \
  } while (0)

/* Checks that a failed call left an error with this status and a non-empty message, then frees it
 * and resets the pointer. */
#define CHECK_ERROR(err, expected)                                                      \
  do {                                                                                  \
    CHECK((err) != NULL);                                                               \
    if ((err) != NULL) {                                                                \
      char msg_[512];                                                                   \
      size_t msg_len_ = 0;                                                              \
      CHECK_STATUS(chiso_error_status(err), (expected));                               \
      CHECK_STATUS(chiso_error_message((err), msg_, sizeof msg_, &msg_len_), CHISO_OK); \
      CHECK(msg_len_ > 0 && strlen(msg_) > 0);                                          \
      chiso_error_free(err);                                                            \
      (err) = NULL;                                                                     \
    }                                                                                   \
  } while (0)

static int test_summary(const char *suite) {
  printf("%s: %d checks, %d failed\n", suite, checks_run, checks_failed);
  return checks_failed == 0 && checks_run > 0 ? 0 : 1;
}

#endif
