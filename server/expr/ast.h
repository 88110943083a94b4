/* ast.h — the private interface shared by the files of the expression engine (server/expr/):
 * tokens (lexer.c), the AST of all five expression kinds (parser.c builds it, resolve.c checks and
 * resolves it, eval.c/update.c/project.c/keycond.c/legacy.c read it), the arena every node lives
 * in, and small helpers (ast.c). Nothing outside server/expr/ includes this header: the public
 * interface is expr.h. Cross-file functions are named expr__*. */
#ifndef DYNASTREAM_EXPR_AST_H
#define DYNASTREAM_EXPR_AST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "expr.h"
#include "number.h"
#include "value.h"

/* ---------------------------------------------------------------- arena ----------------------- */

/* Bump allocator owning every node, path and string of one expression; freed at once by
 * expr_free. Allocation failure is reported by a NULL return (callers raise ERR_INTERNAL). */
struct arena_block;
struct arena {
    struct arena_block *head;   /* newest block first */
};

void *expr__alloc(struct arena *a, size_t size);      /* zeroed memory or NULL */
char *expr__strdup(struct arena *a, const char *s, size_t len);   /* NUL-terminated copy */
void expr__arena_free(struct arena *a);

/* Growable byte buffer for messages (malloc'd; failure is sticky and yields NULL). */
struct sbuf {
    char *data;
    size_t len, cap;
    int failed;
};
void expr__sb_add(struct sbuf *sb, const char *bytes, size_t len);
void expr__sb_puts(struct sbuf *sb, const char *s);
void expr__sb_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---------------------------------------------------------------- tokens ---------------------- */

enum tok_kind {
    TK_EOF = 0,
    TK_ID,        /* [A-Za-z][A-Za-z0-9_]*, not a keyword */
    TK_NAMEREF,   /* #[A-Za-z0-9_]+ */
    TK_VALREF,    /* :[A-Za-z0-9_]+ */
    TK_INDEX,     /* 0 | [1-9][0-9]* */
    TK_AND, TK_OR, TK_NOT, TK_BETWEEN, TK_IN,       /* keywords, any case */
    TK_SET, TK_REMOVE, TK_ADD, TK_DELETE,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,       /* = <> < <= > >= */
    TK_PLUS, TK_MINUS,
    TK_LPAREN, TK_RPAREN, TK_LBRACKET, TK_RBRACKET, TK_COMMA, TK_DOT,
    TK_UNKNOWN    /* any other single character (one UTF-8 sequence, or one stray byte) */
};

struct token {
    enum tok_kind kind;
    uint32_t start, len;   /* byte offsets into the expression text */
};

/* Splits text into tokens; the array ends with one TK_EOF token (start = len). Returns 0, or -1
 * with ERR_INTERNAL on allocation failure. *toks is malloc'd (caller frees). */
int expr__lex(const char *text, size_t len, struct token **toks, size_t *ntoks, struct err *err);

/* ---------------------------------------------------------------- paths ----------------------- */

struct path_elem {
    const char *name;      /* resolved attribute name (not NUL-safe: use name_len); NULL if index */
    uint32_t name_len;
    uint32_t index;        /* list index when name == NULL */
    uint32_t tok;          /* token of the element (ID, NAMEREF or INDEX) */
};

struct path {
    struct path_elem *elems;
    uint32_t n;
    uint32_t tok;          /* first token */
};

/* Formats a path the way DynamoDB quotes it in messages: "[a, b, [2], c]". */
void expr__path_format(const struct path *p, struct sbuf *sb);
/* Same top-level name, then same elements: 1 if a == b. */
int expr__path_equal(const struct path *a, const struct path *b);

/* ---------------------------------------------------------------- nodes ----------------------- */

enum node_kind {
    N_AND, N_OR, N_NOT,    /* conditions: 2, 2, 1 children */
    N_CMP,                 /* op = TK_EQ..TK_GE; 2 children */
    N_BETWEEN,             /* 3 children: operand, lower, upper */
    N_IN,                  /* 1 + k children */
    N_FUNC,                /* fn; children = arguments; as a condition or an operand */
    N_PATH,                /* path */
    N_VALUE,               /* :placeholder (or a legacy literal) resolved to value */
    N_PLUS, N_MINUS        /* update arithmetic: 2 children */
};

enum func_id {
    F_UNKNOWN = 0,
    F_ATTRIBUTE_EXISTS, F_ATTRIBUTE_NOT_EXISTS, F_ATTRIBUTE_TYPE, F_BEGINS_WITH, F_CONTAINS,
    F_SIZE,                /* condition functions (size is the only operand-valued one) */
    F_IF_NOT_EXISTS, F_LIST_APPEND   /* update functions */
};

struct node {
    enum node_kind kind;
    enum tok_kind op;      /* N_CMP */
    enum func_id fn;       /* N_FUNC */
    uint32_t tok;          /* first token; for N_FUNC the name token; for N_VALUE the :ref */
    uint8_t paren;         /* written in parentheses (a second pair is redundant) */
    uint32_t nchild;
    struct node **child;
    struct path path;      /* N_PATH */
    const json_t *value;   /* N_VALUE: canonical AttributeValue (borrowed from params/legacy) */
    const json_t *orig;    /* N_VALUE: the value as the request gave it (for messages) */
    struct num num;        /* N_VALUE of type N: parsed once, reused by every evaluation */
    enum av_type vtype;    /* N_VALUE: its type */
    uint8_t legacy_op;     /* legacy.c: the ComparisonOperator this node came from (LEG_*) */
};

/* Legacy ComparisonOperators, as kept on the nodes legacy.c builds (keycond.c reads them). */
enum legacy_op {
    LEG_NONE = 0, LEG_EQ, LEG_NE, LEG_LE, LEG_LT, LEG_GE, LEG_GT, LEG_NOT_NULL, LEG_NULL,
    LEG_CONTAINS, LEG_NOT_CONTAINS, LEG_BEGINS_WITH, LEG_IN, LEG_BETWEEN
};

/* ---------------------------------------------------------------- update actions -------------- */

enum action_kind {
    A_SET, A_REMOVE, A_ADD, A_DELETE,
    A_LEGACY_ADD           /* AttributeUpdates ADD: numbers, sets, and lists (appends) */
};

struct action {
    enum action_kind kind;
    struct path path;
    struct node *value;    /* SET: the value expression; ADD/DELETE: the N_VALUE; else NULL */
    uint32_t tok;          /* first token of the action */
};

/* ---------------------------------------------------------------- the expression -------------- */

struct expr {
    enum expr_kind kind;
    int legacy;            /* built by legacy.c from non-expression parameters */
    struct arena arena;
    const char *text;      /* arena copy of the expression text (NULL for legacy) */
    size_t text_len;
    struct token *toks;    /* malloc'd; freed after resolve (NULL afterwards) */
    size_t ntoks;
    struct node *root;     /* CONDITION, FILTER, KEY_CONDITION */
    struct action *actions;/* UPDATE, in textual order */
    uint32_t nactions;
    struct path *paths;    /* PROJECTION, in textual order */
    uint32_t npaths;
    json_t *owned;         /* legacy: canonical values the nodes point to (a JSON array) */
};

/* parser.c: builds the unresolved AST of e->text (syntax errors and redundant parentheses, with
 * DynamoDB's messages minus the "Invalid <Kind>: " prefix, which expr_parse adds). */
int expr__parse(struct expr *e, struct err *err);

/* resolve.c: the semantic checks after parsing (reserved words, functions, placeholders, types,
 * paths, limits) and the substitution of #names and :values. */
int expr__resolve(struct expr *e, struct expr_params *params, struct err *err);

/* reserved.c: 1 if the identifier (any case) is one of DynamoDB's reserved words. */
int expr__is_reserved(const char *s, size_t len);

/* Function table (ast.c). */
enum func_id expr__func_lookup(const char *s, size_t len);
const char *expr__func_name(enum func_id fn);

/* eval.c: value of an operand against an item. */
struct opval {
    const json_t *av;      /* borrowed AttributeValue, or NULL when missing */
    int is_num;            /* av is NULL and num holds a computed number (size()) */
    struct num num;
};
const json_t *expr__path_get(const json_t *item, const struct path *p);
void expr__operand(const struct node *n, const json_t *item, struct opval *out);
int expr__eval_node(const struct node *n, const json_t *item);
/* Equality of two set members (bare JSON strings) of member type t: AV_S, AV_N or AV_B. */
int expr__member_equal(enum av_type t, const json_t *a, const json_t *b);

/* project.c: item projected onto paths (NULL entries skipped); a new reference, NULL on OOM. */
json_t *expr__project_paths(const struct path *const *paths, uint32_t n, const json_t *item);

/* Type of an N_VALUE or size() operand known before evaluation; AV_INVALID otherwise. */
enum av_type expr__static_type(const struct node *n);

/* Keywords and messages shared by several files. */
#define EXPR_MSG_MISUSED \
    "The function is not allowed to be used this way in an expression; function: %s"
#define EXPR_MSG_UNDEFINED_NAME \
    "An expression attribute name used in the document path is not defined; attribute name: %.*s"
#define EXPR_MSG_UNDEFINED_VALUE \
    "An expression attribute value used in expression is not defined; attribute value: %.*s"

#endif
