/* reqexpr.h — all expressions of one request (or one item of a batch or transaction), modern and
 * legacy, parsed once: the parameter-combination rules, the expressions themselves, then the
 * legacy parameters (Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter,
 * ScanFilter) translated into the same AST, so that operations see one struct expr per kind. */
#ifndef DYNASTREAM_REQEXPR_H
#define DYNASTREAM_REQEXPR_H

#include <jansson.h>

#include "errors.h"
#include "expr/expr.h"

/* Parses everything of `op` found in obj (borrowed; must outlive *out) into *out. Returns 0, or
 * -1 with err set (and *out empty). Free with reqexpr_free. */
int reqexpr_parse(enum expr_op op, const json_t *obj, struct expr_request *out, struct err *err);
/* Frees what reqexpr_parse built. NULL-safe. */
void reqexpr_free(struct expr_request *r);

#endif
