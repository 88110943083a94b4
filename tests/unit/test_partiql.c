/* test_partiql.c — the PartiQL parser and renderer: statements parse into the right shape,
 * parameters bind in order, WHERE renders as DynamoDB expression text with placeholders, and
 * malformed statements get DynamoDB's messages. */
#include <stdlib.h>

#include "partiql.h"
#include "test.h"

/* Parses text (params as JSON text or NULL); on success renders its WHERE as
 * "<expression> <names> <values>" into a malloc'd string, on failure returns the error message. */
static char *parse_render(const char *text, const char *params_json, int *ok)
{
    json_t *params = params_json != NULL ? json_loads(params_json, 0, NULL) : NULL;
    struct pq_stmt *st = NULL;
    struct err err = ERR_INIT;
    struct pq_render r = {json_object(), json_object(), 0, 0};
    struct strbuf sb = STRBUF_INIT;
    char *out = NULL, *names = NULL, *values = NULL;

    *ok = pq_parse(text, params, &st, &err) == 0;
    if (*ok && st->where != NULL)
        *ok = pq_render_node(st->where, &r, &sb, &err) == 0;
    if (*ok) {
        names = json_dumps(r.names, JSON_COMPACT | JSON_SORT_KEYS);
        values = json_dumps(r.values, JSON_COMPACT | JSON_SORT_KEYS);
        if (asprintf(&out, "%s %s %s", sb.data != NULL ? sb.data : "", names, values) < 0)
            out = NULL;
    } else {
        out = strdup(err.message != NULL ? err.message : "");
    }
    free(names);
    free(values);
    strbuf_free(&sb);
    json_decref(r.names);
    json_decref(r.values);
    json_decref(params);
    err_clear(&err);
    pq_free(st);
    return out;
}

#define EXPECT_RENDER(stmt, params, want)                                       \
    do {                                                                        \
        int ok_;                                                                \
        char *got_ = parse_render((stmt), (params), &ok_);                      \
        int same_ = ok_ && got_ != NULL && strcmp(got_, (want)) == 0;           \
        if (!same_) {                                                           \
            fprintf(stderr, "  %s\n    got:      %s%s\n    expected: %s\n", (stmt), \
                    ok_ ? "" : "(error) ", got_ ? got_ : "(null)", (want));     \
            free(got_);                                                         \
            TEST_FAIL_("rendering differs");                                    \
        }                                                                       \
        free(got_);                                                             \
    } while (0)

#define EXPECT_ERROR(stmt, params, want)                                        \
    do {                                                                        \
        int ok_;                                                                \
        char *got_ = parse_render((stmt), (params), &ok_);                      \
        int same_ = !ok_ && got_ != NULL && strcmp(got_, (want)) == 0;          \
        if (!same_) {                                                           \
            fprintf(stderr, "  %s\n    got:      %s%s\n    expected error: %s\n", (stmt), \
                    ok_ ? "(success) " : "", got_ ? got_ : "(null)", (want));   \
            free(got_);                                                         \
            TEST_FAIL_("error differs");                                        \
        }                                                                       \
        free(got_);                                                             \
    } while (0)

TEST(partiql_where_renders_with_placeholders)
{
    EXPECT_RENDER("SELECT * FROM \"t\" WHERE pk = 'a'", NULL,
                  "#n0 = :v0 {\"#n0\":\"pk\"} {\":v0\":{\"S\":\"a\"}}");
    EXPECT_RENDER("select * from t where pk = 'a' and n > 1 or not x is missing", NULL,
                  "((#n0 = :v0 AND #n1 > :v1) OR (NOT attribute_not_exists(#n2))) "
                  "{\"#n0\":\"pk\",\"#n1\":\"n\",\"#n2\":\"x\"} "
                  "{\":v0\":{\"S\":\"a\"},\":v1\":{\"N\":\"1\"}}");
    EXPECT_RENDER("SELECT * FROM t WHERE a.b[2].\"c d\" BETWEEN -1.5 AND 2e3", NULL,
                  "#n0.#n1[2].#n2 BETWEEN :v0 AND :v1 {\"#n0\":\"a\",\"#n1\":\"b\",\"#n2\":\"c d\"} "
                  "{\":v0\":{\"N\":\"-1.5\"},\":v1\":{\"N\":\"2e3\"}}");
    EXPECT_RENDER("SELECT * FROM t WHERE k IN ['x', 'y'] AND begins_with(s, 'p') AND v IS NOT NULL",
                  NULL,
                  "((#n0 IN (:v0, :v1) AND begins_with(#n1, :v2)) AND (NOT attribute_type(#n2, :v3))) "
                  "{\"#n0\":\"k\",\"#n1\":\"s\",\"#n2\":\"v\"} {\":v0\":{\"S\":\"x\"},\":v1\":"
                  "{\"S\":\"y\"},\":v2\":{\"S\":\"p\"},\":v3\":{\"S\":\"NULL\"}}");
    EXPECT_RENDER("SELECT * FROM t WHERE a <> 'x' AND b != 'y'", NULL,
                  "(#n0 <> :v0 AND #n1 <> :v1) {\"#n0\":\"a\",\"#n1\":\"b\"} "
                  "{\":v0\":{\"S\":\"x\"},\":v1\":{\"S\":\"y\"}}");
}

TEST(partiql_literals_become_attribute_values)
{
    EXPECT_RENDER("SELECT * FROM t WHERE a = [1, 'x', TRUE, NULL, {'k': <<'s', 't'>>}, <<2, 3>>]",
                  NULL,
                  "#n0 = :v0 {\"#n0\":\"a\"} {\":v0\":{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"},"
                  "{\"BOOL\":true},{\"NULL\":true},{\"M\":{\"k\":{\"SS\":[\"s\",\"t\"]}}},"
                  "{\"NS\":[\"2\",\"3\"]}]}}");
    EXPECT_RENDER("SELECT * FROM t WHERE s = 'it''s'", NULL,
                  "#n0 = :v0 {\"#n0\":\"s\"} {\":v0\":{\"S\":\"it's\"}}");
    EXPECT_ERROR("SELECT * FROM t WHERE a = <<>>", NULL, "Empty bags are not supported");
    EXPECT_ERROR("SELECT * FROM t WHERE a = <<1, 'x'>>", NULL,
                 "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
}

TEST(partiql_parameters_bind_in_order)
{
    EXPECT_RENDER("SELECT * FROM t WHERE pk = ? AND v = ?", "[{\"S\":\"a\"},{\"BS\":[\"AQI=\"]}]",
                  "(#n0 = :v0 AND #n1 = :v1) {\"#n0\":\"pk\",\"#n1\":\"v\"} "
                  "{\":v0\":{\"S\":\"a\"},\":v1\":{\"BS\":[\"AQI=\"]}}");
    EXPECT_ERROR("SELECT * FROM t WHERE pk = ? AND v = ?", "[{\"S\":\"a\"}]",
                 "Number of parameters in request and statement don't match.");
    EXPECT_ERROR("SELECT * FROM t WHERE pk = ?", "[{\"S\":\"a\"},{\"S\":\"b\"}]",
                 "Number of parameters in request and statement don't match.");
    EXPECT_ERROR("SELECT * FROM t WHERE pk = 'a'", "[{\"S\":\"a\"}]",
                 "Number of parameters in request and statement don't match.");
}

TEST(partiql_statement_shapes)
{
    struct pq_stmt *st = NULL;
    struct err err = ERR_INIT;
    json_t *params = json_loads("[{\"N\":\"5\"}]", 0, NULL);

    ASSERT(pq_parse("UPDATE \"t\" SET a = a + 1, b.c = 'x' REMOVE d SET e = ? WHERE pk = 'k' "
                    "RETURNING MODIFIED NEW *", params, &st, &err) == 0);
    ASSERT_EQ_INT(st->kind, PQ_UPDATE);
    ASSERT_EQ_STR(st->table, "t");
    ASSERT_EQ_INT(st->nactions, 4);
    ASSERT(st->actions[2].value == NULL);                 /* REMOVE d */
    ASSERT_EQ_INT(st->actions[0].value->kind, PN_ARITH);
    ASSERT_EQ_INT(st->returning, PQ_RET_MODIFIED_NEW);
    pq_free(st);
    json_decref(params);

    ASSERT(pq_parse("SELECT a.b, c FROM \"t\".\"idx\" WHERE pk = 1 ORDER BY sk DESC;", NULL, &st,
                    &err) == 0);
    ASSERT_EQ_INT(st->kind, PQ_SELECT);
    ASSERT_EQ_STR(st->index, "idx");
    ASSERT_EQ_INT(st->nprojection, 2);
    ASSERT_EQ_STR(st->order_by, "sk");
    ASSERT_EQ_INT(st->order_desc, 1);
    pq_free(st);

    ASSERT(pq_parse("INSERT INTO t VALUE {'pk': 'a', 'n': 2}", NULL, &st, &err) == 0);
    ASSERT_EQ_INT(st->kind, PQ_INSERT);
    ASSERT_EQ_INT(json_object_size(st->item), 2);
    pq_free(st);
    err_clear(&err);
}

TEST(partiql_malformed_statements_get_dynamodb_messages)
{
    EXPECT_ERROR("SLECT * FROM t", NULL,
                 "Statement wasn't well formed, can't be processed: Expected data manipulation");
    EXPECT_ERROR("SELECT * FROM \"t", NULL,
                 "Statement wasn't well formed, can't be processed: Unterminated quoted identifier");
    EXPECT_ERROR("SELECT * FROM t WHERE", NULL,
                 "Statement wasn't well formed, can't be processed: Unexpected end of statement");
    EXPECT_ERROR("SELECT * FROM \"t\".\"i\".\"x\"", NULL,
                 "A path may contain at most 2 components in the FROM clause");
    EXPECT_ERROR("SELECT * FROM \"t\".\"\"", NULL, "Path component cannot be an empty string");
    EXPECT_ERROR("SELECT *, a FROM t", NULL,
                 "Other attributes should not be present in the projection when '*' is used.");
    EXPECT_ERROR("DELETE FROM t", NULL,
                 "Where clause does not contain a mandatory equality on all key attributes");
    EXPECT_ERROR("UPDATE t SET a = 1 WHERE pk = 'a' RETURNING ALL NEW", NULL,
                 "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    EXPECT_ERROR("INSERT INTO t VALUE {'pk': 'a'} RETURNING ALL OLD *", NULL,
                 "RETURNING is not supported in INSERT");
    EXPECT_ERROR("INSERT INTO t VALUE 'x'", NULL,
                 "Unsupported format in item expression. Please use struct format {...} to "
                 "express item values for insert statement.");
    EXPECT_ERROR("SELECT * FROM t WHERE a = MISSING", NULL,
                 "MISSING must be compared using IS operator");
    EXPECT_ERROR("SELECT * FROM t WHERE a IS FOO", NULL,
                 "Unsupported data type for IS operator: FOO. Supported data types are [MISSING, "
                 "NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]");
    EXPECT_ERROR("SELECT * FROM t WHERE nope(a)", NULL, "Unrecognized function: nope");
    EXPECT_ERROR("UPDATE \"t\".\"i\" SET a = 1 WHERE pk = 'a'", NULL,
                 "This operation is not supported on an index");
}
