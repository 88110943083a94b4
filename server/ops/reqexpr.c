/* reqexpr.c — one request's expressions, modern and legacy (see reqexpr.h). The order follows
 * DynamoDB: the combination rules first, then the expressions with their placeholders, then the
 * legacy parameters (which cannot be present together with expressions of the same role). */
#include "reqexpr.h"

#include <string.h>

#include "ops.h"

int reqexpr_parse(enum expr_op op, const json_t *obj, struct expr_request *out, struct err *err)
{
    const char *conditional = str_field(obj, "ConditionalOperator");
    const json_t *v;

    memset(out, 0, sizeof *out);
    if (expr_check_params(op, obj, err) < 0 || expr_request_parse(op, obj, out, err) < 0)
        return -1;

    if (out->kind[EXPR_CONDITION] == NULL && (v = json_object_get(obj, "Expected")) != NULL &&
        expr_legacy_expected(v, conditional, &out->kind[EXPR_CONDITION], err) < 0)
        goto fail;
    if (out->kind[EXPR_UPDATE] == NULL && (v = json_object_get(obj, "AttributeUpdates")) != NULL &&
        expr_legacy_attribute_updates(v, &out->kind[EXPR_UPDATE], err) < 0)
        goto fail;
    if (out->kind[EXPR_PROJECTION] == NULL && (v = json_object_get(obj, "AttributesToGet")) != NULL &&
        expr_legacy_attributes_to_get(v, &out->kind[EXPR_PROJECTION], err) < 0)
        goto fail;
    if (out->kind[EXPR_KEY_CONDITION] == NULL && (v = json_object_get(obj, "KeyConditions")) != NULL &&
        expr_legacy_conditions(EXPR_KEY_CONDITION, v, NULL, &out->kind[EXPR_KEY_CONDITION], err) < 0)
        goto fail;
    if (out->kind[EXPR_FILTER] == NULL) {
        v = json_object_get(obj, op == EXPR_OP_QUERY ? "QueryFilter" : "ScanFilter");
        if (v != NULL && (op == EXPR_OP_QUERY || op == EXPR_OP_SCAN) &&
            expr_legacy_conditions(EXPR_FILTER, v, conditional, &out->kind[EXPR_FILTER], err) < 0)
            goto fail;
    }
    return 0;
fail:
    reqexpr_free(out);
    return -1;
}

void reqexpr_free(struct expr_request *r)
{
    if (r != NULL)
        expr_request_free(r);
}
