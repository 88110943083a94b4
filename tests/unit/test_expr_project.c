/* test_expr_project.c — unit tests of projections (project.c): nested paths keep their
 * structure, list elements come out in index order and compacted, missing paths and paths
 * through the wrong type are left out, placeholders name attributes whose names hold dots.
 * Checked on DynamoDB Local (the project-* data cases hold more). */
#include <stdlib.h>
#include <string.h>

#include "expr/expr.h"
#include "test.h"
#include "test_expr_util.h"

#define ITEM                                                                                     \
    "{\"a\":{\"M\":{\"b\":{\"N\":\"1\"},\"c\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},"               \
    "{\"M\":{\"x\":{\"N\":\"5\"},\"y\":{\"N\":\"6\"}}},{\"N\":\"3\"}]}}},"                        \
    "\"e\":{\"L\":[{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"}]},{\"L\":[{\"N\":\"3\"}]}]},"              \
    "\"f\":{\"S\":\"f\"},\"x.y\":{\"S\":\"dot\"}}"

static const char *proj(const char *expr, const char *names)
{
    static char buf[4096];
    json_t *item = tx_load(ITEM), *n = names ? tx_load(names) : NULL;
    snprintf(buf, sizeof buf, "%s", tx_run("projection", expr, n, NULL, item));
    json_decref(item);
    json_decref(n);
    return buf;
}

TEST(expr_project_nested_keeps_structure)
{
    ASSERT_EQ_STR(proj("a.b", NULL), "OK {\"a\":{\"M\":{\"b\":{\"N\":\"1\"}}}}");
    ASSERT_EQ_STR(proj("a.c[2].x, a.c[2].y", NULL),
                  "OK {\"a\":{\"M\":{\"c\":{\"L\":[{\"M\":{\"x\":{\"N\":\"5\"},\"y\":{\"N\":\"6\"}}}]}}}}");
    ASSERT_EQ_STR(proj("a.b, f", NULL), "OK {\"a\":{\"M\":{\"b\":{\"N\":\"1\"}}},\"f\":{\"S\":\"f\"}}");
}

TEST(expr_project_list_elements_in_index_order_compacted)
{
    ASSERT_EQ_STR(proj("a.c[3], a.c[1]", NULL),
                  "OK {\"a\":{\"M\":{\"c\":{\"L\":[{\"N\":\"1\"},{\"N\":\"3\"}]}}}}");
    ASSERT_EQ_STR(proj("e[1][0], e[0][1]", NULL),
                  "OK {\"e\":{\"L\":[{\"L\":[{\"N\":\"2\"}]},{\"L\":[{\"N\":\"3\"}]}]}}");
    ASSERT_EQ_STR(proj("a.c[1], a.c[2].y, a.c[9]", NULL),
                  "OK {\"a\":{\"M\":{\"c\":{\"L\":[{\"N\":\"1\"},{\"M\":{\"y\":{\"N\":\"6\"}}}]}}}}");
}

TEST(expr_project_missing_paths_are_left_out)
{
    ASSERT_EQ_STR(proj("a.c[9]", NULL), "OK {}");
    ASSERT_EQ_STR(proj("a.zz", NULL), "OK {}");      /* not {"a": {"M": {}}} */
    ASSERT_EQ_STR(proj("a.b.c", NULL), "OK {}");     /* through a number */
    ASSERT_EQ_STR(proj("f[0]", NULL), "OK {}");
    ASSERT_EQ_STR(proj("zz", NULL), "OK {}");
}

TEST(expr_project_placeholder_with_a_dot)
{
    ASSERT_EQ_STR(proj("#d", "{\"#d\":\"x.y\"}"), "OK {\"x.y\":{\"S\":\"dot\"}}");
    ASSERT_EQ_STR(proj("x.y", NULL), "OK {}");
}

TEST(expr_project_no_item)
{
    struct err err = ERR_INIT;
    struct expr *e = NULL;
    ASSERT_EQ_INT(expr_parse(EXPR_PROJECTION, "a, b.c", 6, NULL, &e, &err), 0);
    json_t *out = expr_project(e, NULL);
    ASSERT(json_is_object(out) && json_object_size(out) == 0);
    json_decref(out);
    expr_free(e);
}
