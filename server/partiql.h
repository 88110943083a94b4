/* partiql.h — DynamoDB's PartiQL dialect: the lexer and parser that turn one statement (with its
 * Parameters bound to its `?` placeholders) into a small AST, and the renderer that writes a
 * condition or value of that AST as DynamoDB expression text with #name and :value placeholders,
 * so that the operations run a statement through the same engine as Query, UpdateItem and the
 * rest. Statements: SELECT, INSERT INTO ... VALUE, UPDATE ... SET/REMOVE, DELETE FROM, with WHERE,
 * RETURNING, ORDER BY, and ExecuteTransaction's EXISTS(SELECT ...). Errors carry DynamoDB's
 * messages ("Statement wasn't well formed, can't be processed: ..." and the dialect's own
 * validation messages).
 * Pure: jansson, errors.h and strbuf.h only. Developer guide: "PartiQL - a SQL-compatible query
 * language for Amazon DynamoDB" and its statement pages. */
#ifndef DYNASTREAM_PARTIQL_H
#define DYNASTREAM_PARTIQL_H

#include <jansson.h>

#include "errors.h"
#include "strbuf.h"

enum pq_stmt_kind { PQ_SELECT, PQ_INSERT, PQ_UPDATE, PQ_DELETE,
                    PQ_EXISTS /* EXISTS(SELECT ...): a condition check of ExecuteTransaction */ };

enum pq_node_kind {
    PN_PATH,      /* an attribute path: names and list indexes */
    PN_VALUE,     /* a literal or bound parameter: an AttributeValue */
    PN_MISSING,   /* the MISSING literal */
    PN_CMP,       /* op is = <> < <= > >= ; two args */
    PN_BETWEEN,   /* three args */
    PN_IN,        /* first arg IN the rest */
    PN_AND,
    PN_OR,
    PN_NOT,       /* one arg */
    PN_IS,        /* arg IS [NOT] op (MISSING, NULL, STRING, ...) */
    PN_CALL,      /* op is the function name, lower case */
    PN_ARITH,     /* op is + or - ; two args */
};

struct pq_path_elem {
    char *name;   /* NULL for a list index */
    long index;
};

struct pq_node {
    enum pq_node_kind kind;
    char op[24];
    int negated;                  /* PN_IS: IS NOT */
    struct pq_node **args;
    int nargs;
    struct pq_path_elem *path;    /* PN_PATH */
    int npath;
    json_t *value;                /* PN_VALUE: owned AttributeValue */
};

enum pq_returning { PQ_RET_NONE, PQ_RET_ALL_OLD, PQ_RET_MODIFIED_OLD, PQ_RET_ALL_NEW,
                    PQ_RET_MODIFIED_NEW };

struct pq_action {                /* UPDATE: SET path = value, or REMOVE path */
    struct pq_node *path;
    struct pq_node *value;        /* NULL for REMOVE */
};

struct pq_stmt {
    enum pq_stmt_kind kind;
    char *table;
    char *index;                  /* SELECT ... FROM "table"."index", else NULL */
    int star;                     /* SELECT * */
    struct pq_node **projection;  /* SELECT a, b.c: paths */
    int nprojection;
    struct pq_node *where;        /* NULL without WHERE */
    char *order_by;               /* ORDER BY attribute, NULL without */
    int order_desc;
    json_t *item;                 /* INSERT: the item's attribute map (owned) */
    struct pq_action *actions;    /* UPDATE */
    int nactions;
    enum pq_returning returning;
};

/* Parses text with params (the request's Parameters list, or NULL) bound in order to its `?`.
 * Returns 0 and sets *out (free with pq_free), or -1 with a ValidationException in err. */
int pq_parse(const char *text, const json_t *params, struct pq_stmt **out, struct err *err);
void pq_free(struct pq_stmt *stmt);

/* "ALL OLD *", ... as DynamoDB quotes a RETURNING clause in its messages. */
const char *pq_returning_text(enum pq_returning r);

/* Placeholders for rendering: names["#n0"] = "attr", values[":v0"] = AttributeValue. */
struct pq_render {
    json_t *names;
    json_t *values;
    int nnames, nvalues;
};

/* Appends node as DynamoDB expression text (a condition, an operand or a SET value) to sb,
 * adding its placeholders to r. Returns 0, or -1 with a ValidationException. */
int pq_render_node(const struct pq_node *node, struct pq_render *r, struct strbuf *sb,
                   struct err *err);

/* The top-level AND terms of a WHERE expression (the expression itself when it is no AND):
 * fills terms (borrowed pointers) up to max and returns how many there are. */
int pq_conjuncts(const struct pq_node *where, const struct pq_node **terms, int max);

/* Whether node renders inside parentheses of its own (AND, OR, NOT): a caller must not wrap it
 * in another pair, which DynamoDB refuses as redundant. */
int pq_self_parenthesized(const struct pq_node *node);

/* The single top-level attribute name of a path node, or NULL when node is not a one-name path. */
const char *pq_simple_name(const struct pq_node *node);

/* Calls fn with the first name of every attribute path inside node. */
void pq_visit_names(const struct pq_node *node, void (*fn)(void *arg, const char *name),
                    void *arg);

#endif
