/* A few assertion macros for the C suite: every check counts, a failure prints its line and the
 * run goes on; main() returns non-zero when any check failed. */
#ifndef CHISO_TEST_HARNESS_H
#define CHISO_TEST_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Text arguments as (pointer, length). */
#define TEXT(s) (s), strlen(s)

/* An output that a failed call must leave as it was. */
static const uint8_t SENTINEL_BYTE = 0;
#define SENTINEL_DATA (&SENTINEL_BYTE)
#define SENTINEL_LEN ((size_t)0x5eed)

static inline chiso_bytes sentinel(void) {
  chiso_bytes b;
  b.data = SENTINEL_DATA;
  b.len = SENTINEL_LEN;
  return b;
}

static inline int untouched(chiso_bytes b) { return b.data == SENTINEL_DATA && b.len == SENTINEL_LEN; }

static inline int same_bytes(chiso_bytes a, chiso_bytes b) {
  return a.data != NULL && b.data != NULL && a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

/* Reads a whole file; NULL when it does not exist. The caller frees. */
static inline char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (buf == NULL) {
    fclose(f);
    return NULL;
  }
  size_t got;
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

static int test_summary(const char *suite) {
  printf("%s: %d checks, %d failed\n", suite, checks_run, checks_failed);
  return checks_failed == 0 && checks_run > 0 ? 0 : 1;
}

#endif
