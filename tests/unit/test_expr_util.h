/* test_expr_util.h — the helpers that the expression-engine unit tests share (test_expr_util.c):
 * load JSON, canonical JSON text, and run one expression into one comparable line. */
#ifndef DYNASTREAM_TEST_EXPR_UTIL_H
#define DYNASTREAM_TEST_EXPR_UTIL_H

#include <jansson.h>

/* Parses text (a test's own literal: aborts the test run on a typo). New reference. */
json_t *tx_load(const char *text);
/* v as compact JSON with sorted keys and sorted set members (malloc'd). */
char *tx_canonical(const json_t *v);
/* Runs expr of kind ("update", "condition", "filter", "projection", "key") against the optional
 * names, values and item; "ERR <Exception>: <message>", "OK true|false", "OK <JSON>" or "OK"
 * (in a static buffer). */
const char *tx_run(const char *kind, const char *expr, const json_t *names, const json_t *values,
                   const json_t *item);

#endif
