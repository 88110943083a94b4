/* partiql.c — lexer, parser and renderer of DynamoDB's PartiQL dialect (see partiql.h).
 * The statement is tokenised in full first, then parsed by recursive descent; parameters are
 * bound while parsing, so the AST holds AttributeValues only. */
#include "partiql.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- lexer ------------------------------------------------------------------------------ */

enum tok_kind { T_END, T_WORD, T_QUOTED, T_STRING, T_NUMBER, T_PARAM, T_PUNCT };

struct token {
    enum tok_kind kind;
    char *text;          /* words and numbers as written, quoted names and strings decoded */
    char punct[3];
};

struct parser {
    struct token *toks;
    int ntoks, pos;
    const json_t *params;
    size_t next_param;
    int depth;           /* nesting of operands, NOTs and literals being parsed */
    struct err *err;
};

#define PQ_MALFORMED "Statement wasn't well formed, can't be processed: "
#define PQ_PARAM_COUNT "Number of parameters in request and statement don't match."
/* Deepest nesting of parentheses, function calls, NOTs and literals the recursive descent takes:
 * a statement of 8192 characters could otherwise recurse thousands of frames deep in a server
 * thread (DynamoDB itself refuses documents nested beyond 32 levels). */
#define PQ_MAX_DEPTH 200

static int malformed(struct parser *p, const char *fmt, ...)
{
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return err_set(p->err, ERR_VALIDATION, PQ_MALFORMED "%s", detail);
}

static char *dup_range(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (out != NULL) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

/* A quoted run ('...' or "..."), the quote doubled inside it. Returns the end or NULL. */
static const char *lex_quoted(const char *s, char quote, char **out)
{
    size_t cap = strlen(s) + 1, n = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    for (s++; *s != '\0'; s++) {
        if (*s == quote) {
            if (s[1] == quote) {
                buf[n++] = quote;
                s++;
                continue;
            }
            char *fit;
            buf[n] = '\0';
            fit = realloc(buf, n + 1);  /* cap was the rest of the statement: keep what is used */
            *out = fit != NULL ? fit : buf;
            return s + 1;
        }
        buf[n++] = *s;
    }
    free(buf);
    return NULL;
}

static int lex(struct parser *p, const char *s)
{
    int cap = 16;
    p->toks = calloc((size_t)cap, sizeof *p->toks);
    if (p->toks == NULL)
        return err_set(p->err, ERR_INTERNAL, "out of memory");
    for (;;) {
        struct token t = {0};
        while (isspace((unsigned char)*s))
            s++;
        if (p->ntoks + 1 >= cap) {
            struct token *grown = realloc(p->toks, (size_t)cap * 2 * sizeof *grown);
            if (grown == NULL)
                return err_set(p->err, ERR_INTERNAL, "out of memory");
            p->toks = grown;
            cap *= 2;
        }
        if (*s == '\0') {
            p->toks[p->ntoks++] = t;       /* T_END */
            return 0;
        }
        if (isalpha((unsigned char)*s) || *s == '_') {
            const char *b = s;
            while (isalnum((unsigned char)*s) || *s == '_' || *s == '$')
                s++;
            t.kind = T_WORD;
            t.text = dup_range(b, (size_t)(s - b));
        } else if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) {
            const char *b = s;
            while (isdigit((unsigned char)*s))
                s++;
            if (*s == '.')
                for (s++; isdigit((unsigned char)*s); s++)
                    ;
            if ((*s == 'e' || *s == 'E') &&
                (isdigit((unsigned char)s[1]) ||
                 ((s[1] == '+' || s[1] == '-') && isdigit((unsigned char)s[2])))) {
                s += 2;
                while (isdigit((unsigned char)*s))
                    s++;
            }
            t.kind = T_NUMBER;
            t.text = dup_range(b, (size_t)(s - b));
        } else if (*s == '\'' || *s == '"') {
            char *text = NULL;
            const char *end = lex_quoted(s, *s, &text);
            if (end == NULL) {
                p->toks[p->ntoks++] = t;   /* keep the array freeable */
                return malformed(p, "Unterminated %s", *s == '\'' ? "string literal"
                                                                   : "quoted identifier");
            }
            t.kind = *s == '\'' ? T_STRING : T_QUOTED;
            t.text = text;
            s = end;
        } else if (*s == '?') {
            t.kind = T_PARAM;
            s++;
        } else {
            static const char *const two[] = {"<>", "!=", "<=", ">=", "<<", ">>", NULL};
            t.kind = T_PUNCT;
            for (int i = 0; two[i] != NULL; i++)
                if (s[0] == two[i][0] && s[1] == two[i][1]) {
                    memcpy(t.punct, two[i], 2);
                    s += 2;
                    break;
                }
            if (t.punct[0] == '\0') {
                if (strchr("=<>(),.[]{}:*+-;", *s) == NULL) {
                    /* the whole UTF-8 sequence, so that the message stays valid UTF-8 */
                    unsigned char c = (unsigned char)*s;
                    size_t len = strnlen(s, c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1);
                    p->toks[p->ntoks++] = t;
                    return malformed(p, "Unexpected character: %.*s", (int)len, s);
                }
                t.punct[0] = *s++;
            }
        }
        if ((t.kind == T_WORD || t.kind == T_NUMBER) && t.text == NULL)
            return err_set(p->err, ERR_INTERNAL, "out of memory");
        p->toks[p->ntoks++] = t;
    }
}

/* ---- token helpers ------------------------------------------------------------------------ */

static const struct token *peek(struct parser *p, int ahead)
{
    int i = p->pos + ahead;
    return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}

static int is_word(const struct token *t, const char *kw)
{
    return t->kind == T_WORD && strcasecmp(t->text, kw) == 0;
}

static int is_punct(const struct token *t, const char *s)
{
    return t->kind == T_PUNCT && strcmp(t->punct, s) == 0;
}

static int accept_word(struct parser *p, const char *kw)
{
    if (!is_word(peek(p, 0), kw))
        return 0;
    p->pos++;
    return 1;
}

static int accept_punct(struct parser *p, const char *s)
{
    if (!is_punct(peek(p, 0), s))
        return 0;
    p->pos++;
    return 1;
}

static const char *token_text(const struct token *t)
{
    switch (t->kind) {
    case T_END: return "<EOF>";
    case T_PARAM: return "?";
    case T_PUNCT: return t->punct;
    default: return t->text;
    }
}

static int unexpected(struct parser *p)
{
    const struct token *t = peek(p, 0);
    if (t->kind == T_END)
        return malformed(p, "Unexpected end of statement");
    return malformed(p, "Unexpected token: %s", token_text(t));
}

static int expect_word(struct parser *p, const char *kw)
{
    if (accept_word(p, kw))
        return 0;
    if (peek(p, 0)->kind == T_END)
        return malformed(p, "Expected %s", kw);
    return unexpected(p);
}

static int expect_punct(struct parser *p, const char *s)
{
    return accept_punct(p, s) ? 0 : unexpected(p);
}

/* Words that end an expression or start a clause, never attribute names when bare. */
static int is_reserved(const struct token *t)
{
    static const char *const words[] = {"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN",
                                        "BETWEEN", "IS", "SET", "REMOVE", "RETURNING", "ORDER",
                                        "BY", "VALUE", "VALUES", "INTO", NULL};
    for (int i = 0; words[i] != NULL; i++)
        if (is_word(t, words[i]))
            return 1;
    return 0;
}

/* ---- nodes ------------------------------------------------------------------------------ */

static void node_free(struct pq_node *n)
{
    if (n == NULL)
        return;
    for (int i = 0; i < n->nargs; i++)
        node_free(n->args[i]);
    free(n->args);
    for (int i = 0; i < n->npath; i++)
        free(n->path[i].name);
    free(n->path);
    json_decref(n->value);
    free(n);
}

static struct pq_node *node_new(struct parser *p, enum pq_node_kind kind, const char *op)
{
    struct pq_node *n = calloc(1, sizeof *n);
    if (n == NULL) {
        err_set(p->err, ERR_INTERNAL, "out of memory");
        return NULL;
    }
    n->kind = kind;
    if (op != NULL)
        snprintf(n->op, sizeof n->op, "%s", op);
    return n;
}

static int node_add(struct parser *p, struct pq_node *n, struct pq_node *arg)
{
    struct pq_node **grown;
    if (arg == NULL)
        return -1;
    grown = realloc(n->args, (size_t)(n->nargs + 1) * sizeof *grown);
    if (grown == NULL) {
        node_free(arg);
        return err_set(p->err, ERR_INTERNAL, "out of memory");
    }
    n->args = grown;
    n->args[n->nargs++] = arg;
    return 0;
}

static struct pq_node *value_node(struct parser *p, json_t *av)
{
    struct pq_node *n;
    if (av == NULL) {
        err_set(p->err, ERR_INTERNAL, "out of memory");
        return NULL;
    }
    n = node_new(p, PN_VALUE, NULL);
    if (n == NULL) {
        json_decref(av);
        return NULL;
    }
    n->value = av;
    return n;
}

/* ---- literals ----------------------------------------------------------------------------- */

static json_t *parse_literal(struct parser *p);

static json_t *av_of(const char *type, json_t *v)
{
    json_t *av = json_object();
    if (av == NULL || v == NULL || json_object_set_new(av, type, v) < 0) {
        json_decref(av);
        return NULL;
    }
    return av;
}

static json_t *bound_param(struct parser *p)
{
    const json_t *v;
    if (p->params == NULL || p->next_param >= json_array_size(p->params)) {
        p->next_param++;
        err_set(p->err, ERR_VALIDATION, PQ_PARAM_COUNT);
        return NULL;
    }
    v = json_array_get(p->params, p->next_param++);
    return json_deep_copy(v);
}

/* <<'a', 'b'>> or <<1, 2>>: a string or number set. */
static json_t *parse_bag(struct parser *p)
{
    json_t *members = json_array();
    const char *type = NULL;
    if (members == NULL)
        return NULL;
    if (is_punct(peek(p, 0), ">>")) {
        json_decref(members);
        err_set(p->err, ERR_VALIDATION, "Empty bags are not supported");
        return NULL;
    }
    do {
        json_t *m = parse_literal(p);
        const char *key;
        json_t *inner;
        if (m == NULL)
            goto fail;
        key = json_object_size(m) == 1 ? json_object_iter_key(json_object_iter(m)) : "";
        inner = json_object_get(m, key);
        if ((strcmp(key, "S") != 0 && strcmp(key, "N") != 0) ||
            (type != NULL && strcmp(type, key) != 0)) {
            json_decref(m);
            err_set(p->err, ERR_VALIDATION, "Unsupported data type in Bag. DynamoDB only supports "
                                            "either numbers or strings in bags");
            goto fail;
        }
        type = strcmp(key, "S") == 0 ? "S" : "N";
        json_array_append(members, inner);
        json_decref(m);
    } while (accept_punct(p, ","));
    if (expect_punct(p, ">>") < 0)
        goto fail;
    return av_of(strcmp(type, "S") == 0 ? "SS" : "NS", members);
fail:
    json_decref(members);
    return NULL;
}

/* One more level of nesting (an operand, a NOT or a literal): refused beyond PQ_MAX_DEPTH. */
static int enter(struct parser *p)
{
    if (++p->depth > PQ_MAX_DEPTH)
        return malformed(p, "Nesting exceeds the maximum depth of %d", PQ_MAX_DEPTH);
    return 0;
}

static json_t *parse_literal_at(struct parser *p);

/* A literal value: 'string', number, TRUE/FALSE, NULL, [list], {'map': value}, <<bag>>, ?. */
static json_t *parse_literal(struct parser *p)
{
    json_t *v = enter(p) < 0 ? NULL : parse_literal_at(p);
    p->depth--;
    return v;
}

static json_t *parse_literal_at(struct parser *p)
{
    const struct token *t = peek(p, 0);
    if (t->kind == T_STRING) {
        p->pos++;
        return av_of("S", json_string(t->text));
    }
    if (t->kind == T_NUMBER || (is_punct(t, "-") && peek(p, 1)->kind == T_NUMBER)) {
        int neg = t->kind == T_PUNCT;
        if (neg)
            t = peek(p, 1);
        p->pos += neg ? 2 : 1;
        return av_of("N", json_sprintf("%s%s", neg ? "-" : "", t->text));
    }
    if (t->kind == T_PARAM) {
        p->pos++;
        return bound_param(p);
    }
    if (is_word(t, "TRUE") || is_word(t, "FALSE")) {
        p->pos++;
        return av_of("BOOL", json_boolean(is_word(t, "TRUE")));
    }
    if (is_word(t, "NULL")) {
        p->pos++;
        return av_of("NULL", json_true());
    }
    if (accept_punct(p, "[")) {
        json_t *list = json_array();
        if (list == NULL)
            return NULL;
        if (!accept_punct(p, "]")) {
            do {
                json_t *m = parse_literal(p);
                if (m == NULL || json_array_append_new(list, m) < 0) {
                    json_decref(list);
                    return NULL;
                }
            } while (accept_punct(p, ","));
            if (expect_punct(p, "]") < 0) {
                json_decref(list);
                return NULL;
            }
        }
        return av_of("L", list);
    }
    if (accept_punct(p, "{")) {
        json_t *map = json_object();
        if (map == NULL)
            return NULL;
        if (!accept_punct(p, "}")) {
            do {
                const struct token *k = peek(p, 0);
                json_t *m;
                if (k->kind != T_STRING) {
                    json_decref(map);
                    unexpected(p);
                    return NULL;
                }
                p->pos++;
                if (json_object_get(map, k->text) != NULL) {
                    json_decref(map);
                    err_set(p->err, ERR_VALIDATION, "Duplicate keys in tuple. Key: %s under %s",
                            k->text, "item");
                    return NULL;
                }
                if (expect_punct(p, ":") < 0 || (m = parse_literal(p)) == NULL ||
                    json_object_set_new(map, k->text, m) < 0) {
                    json_decref(map);
                    return NULL;
                }
            } while (accept_punct(p, ","));
            if (expect_punct(p, "}") < 0) {
                json_decref(map);
                return NULL;
            }
        }
        return av_of("M", map);
    }
    if (accept_punct(p, "<<"))
        return parse_bag(p);
    if (!err_isset(p->err))
        unexpected(p);
    return NULL;
}

static int starts_literal(struct parser *p)
{
    const struct token *t = peek(p, 0);
    return t->kind == T_STRING || t->kind == T_NUMBER || t->kind == T_PARAM ||
           is_word(t, "TRUE") || is_word(t, "FALSE") || is_word(t, "NULL") ||
           is_punct(t, "[") || is_punct(t, "{") || is_punct(t, "<<") ||
           (is_punct(t, "-") && peek(p, 1)->kind == T_NUMBER);
}

/* ---- paths and expressions ---------------------------------------------------------------- */

static int path_push(struct parser *p, struct pq_node *n, char *name, long index)
{
    struct pq_path_elem *grown = realloc(n->path, (size_t)(n->npath + 1) * sizeof *grown);
    if (grown == NULL) {
        free(name);
        return err_set(p->err, ERR_INTERNAL, "out of memory");
    }
    n->path = grown;
    n->path[n->npath].name = name;
    n->path[n->npath].index = index;
    n->npath++;
    return 0;
}

/* name ( .name | [n] )* — the first token is a word or a quoted name. */
static struct pq_node *parse_path(struct parser *p)
{
    struct pq_node *n = node_new(p, PN_PATH, NULL);
    const struct token *t = peek(p, 0);
    if (n == NULL)
        return NULL;
    if ((t->kind != T_WORD && t->kind != T_QUOTED) || (t->kind == T_WORD && is_reserved(t))) {
        unexpected(p);
        node_free(n);
        return NULL;
    }
    p->pos++;
    if (path_push(p, n, strdup(t->text), 0) < 0)
        goto fail;
    for (;;) {
        if (accept_punct(p, ".")) {
            t = peek(p, 0);
            if (t->kind != T_WORD && t->kind != T_QUOTED) {
                unexpected(p);
                goto fail;
            }
            p->pos++;
            if (path_push(p, n, strdup(t->text), 0) < 0)
                goto fail;
        } else if (accept_punct(p, "[")) {
            t = peek(p, 0);
            if (t->kind == T_STRING) {        /* a['key'] is a map lookup */
                p->pos++;
                if (path_push(p, n, strdup(t->text), 0) < 0)
                    goto fail;
            } else if (t->kind == T_NUMBER && strspn(t->text, "0123456789") == strlen(t->text)) {
                p->pos++;
                if (path_push(p, n, NULL, strtol(t->text, NULL, 10)) < 0)
                    goto fail;
            } else {
                unexpected(p);
                goto fail;
            }
            if (expect_punct(p, "]") < 0)
                goto fail;
        } else {
            return n;
        }
    }
fail:
    node_free(n);
    return NULL;
}

static struct pq_node *parse_or(struct parser *p);
static struct pq_node *parse_value(struct parser *p);

static struct pq_node *parse_operand_at(struct parser *p);

/* An operand: (expression), function call, MISSING, literal or path. */
static struct pq_node *parse_operand(struct parser *p)
{
    struct pq_node *n = enter(p) < 0 ? NULL : parse_operand_at(p);
    p->depth--;
    return n;
}

static struct pq_node *parse_operand_at(struct parser *p)
{
    const struct token *t = peek(p, 0);
    if (accept_punct(p, "(")) {
        struct pq_node *inner = parse_or(p);
        if (inner != NULL && expect_punct(p, ")") < 0) {
            node_free(inner);
            return NULL;
        }
        return inner;
    }
    if (is_word(t, "MISSING")) {
        p->pos++;
        return node_new(p, PN_MISSING, NULL);
    }
    if (t->kind == T_WORD && is_punct(peek(p, 1), "(") && !is_reserved(t)) {
        struct pq_node *call = node_new(p, PN_CALL, NULL);
        if (call == NULL)
            return NULL;
        for (size_t i = 0; t->text[i] != '\0' && i + 1 < sizeof call->op; i++)
            call->op[i] = (char)tolower((unsigned char)t->text[i]);
        p->pos += 2;
        if (!accept_punct(p, ")")) {
            do {
                if (node_add(p, call, parse_value(p)) < 0) {
                    node_free(call);
                    return NULL;
                }
            } while (accept_punct(p, ","));
            if (expect_punct(p, ")") < 0) {
                node_free(call);
                return NULL;
            }
        }
        return call;
    }
    if (starts_literal(p))
        return value_node(p, parse_literal(p));
    return parse_path(p);
}

/* operand ( (+|-) operand )* : the values of SET */
static struct pq_node *parse_value(struct parser *p)
{
    struct pq_node *left = parse_operand(p);
    while (left != NULL && (is_punct(peek(p, 0), "+") || is_punct(peek(p, 0), "-"))) {
        struct pq_node *n = node_new(p, PN_ARITH, peek(p, 0)->punct);
        p->pos++;
        if (n == NULL || node_add(p, n, left) < 0 || node_add(p, n, parse_operand(p)) < 0) {
            if (n == NULL)
                node_free(left);
            node_free(n);
            return NULL;
        }
        left = n;
    }
    return left;
}

static const char *const is_types[] = {"MISSING", "NULL", "BOOLEAN", "BLOB", "STRING",
                                       "NUMERIC", "STRUCT", "TUPLE", "LIST", NULL};

/* operand [ cmp operand | [NOT] BETWEEN a AND b | [NOT] IN (...) | IS [NOT] type ] */
static struct pq_node *parse_predicate(struct parser *p)
{
    static const char *const cmps[] = {"=", "<>", "!=", "<", "<=", ">", ">=", NULL};
    struct pq_node *left = parse_value(p), *n = NULL;
    int negate = 0;
    if (left == NULL)
        return NULL;
    for (int i = 0; cmps[i] != NULL; i++) {
        if (accept_punct(p, cmps[i])) {
            n = node_new(p, PN_CMP, strcmp(cmps[i], "!=") == 0 ? "<>" : cmps[i]);
            if (n == NULL || node_add(p, n, left) < 0 || node_add(p, n, parse_value(p)) < 0)
                goto fail;
            return n;
        }
    }
    if (accept_word(p, "IS")) {
        int i;
        n = node_new(p, PN_IS, NULL);
        if (n == NULL || node_add(p, n, left) < 0)
            goto fail;
        n->negated = accept_word(p, "NOT");
        for (i = 0; is_types[i] != NULL && !is_word(peek(p, 0), is_types[i]); i++)
            ;
        if (is_types[i] == NULL) {
            const struct token *t = peek(p, 0);
            if (t->kind == T_WORD)
                err_set(p->err, ERR_VALIDATION, "Unsupported data type for IS operator: %s. "
                        "Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, "
                        "NUMERIC, STRUCT, TUPLE, LIST]", t->text);
            else
                unexpected(p);
            node_free(n);
            return NULL;
        }
        snprintf(n->op, sizeof n->op, "%s", is_types[i]);
        p->pos++;
        return n;
    }
    if (is_word(peek(p, 0), "NOT") &&
        (is_word(peek(p, 1), "BETWEEN") || is_word(peek(p, 1), "IN"))) {
        p->pos++;
        negate = 1;
    }
    if (accept_word(p, "BETWEEN")) {
        n = node_new(p, PN_BETWEEN, "BETWEEN");
        if (n == NULL || node_add(p, n, left) < 0 || node_add(p, n, parse_value(p)) < 0 ||
            expect_word(p, "AND") < 0 || node_add(p, n, parse_value(p)) < 0)
            goto fail;
    } else if (accept_word(p, "IN")) {
        const char *close = accept_punct(p, "[") ? "]" : accept_punct(p, "(") ? ")" : NULL;
        n = node_new(p, PN_IN, "IN");
        if (n == NULL || node_add(p, n, left) < 0)
            goto fail;
        if (close == NULL || is_punct(peek(p, 0), close)) {
            node_free(n);
            err_set(p->err, ERR_VALIDATION, "IN operator must have a left hand argument of type "
                    "Variable Reference and right hand argument of type Seq with at least one "
                    "member");
            return NULL;
        }
        do {
            if (node_add(p, n, parse_value(p)) < 0) {
                node_free(n);
                return NULL;
            }
        } while (accept_punct(p, ","));
        if (expect_punct(p, close) < 0) {
            node_free(n);
            return NULL;
        }
    } else {
        return left;
    }
    if (negate) {
        struct pq_node *not = node_new(p, PN_NOT, "NOT");
        if (not == NULL) {
            node_free(n);
            return NULL;
        }
        if (node_add(p, not, n) < 0) {
            node_free(not);
            return NULL;
        }
        return not;
    }
    return n;
fail:
    if (n == NULL)
        node_free(left);
    node_free(n);
    return NULL;
}

static struct pq_node *parse_not(struct parser *p)
{
    if (accept_word(p, "NOT")) {
        struct pq_node *n = enter(p) < 0 ? NULL : node_new(p, PN_NOT, "NOT");
        if (n == NULL || node_add(p, n, parse_not(p)) < 0) {
            node_free(n);
            return NULL;
        }
        p->depth--;
        return n;
    }
    return parse_predicate(p);
}

static struct pq_node *parse_binary(struct parser *p, const char *word, enum pq_node_kind kind,
                                    struct pq_node *(*sub)(struct parser *))
{
    struct pq_node *left = sub(p);
    while (left != NULL && accept_word(p, word)) {
        struct pq_node *n = node_new(p, kind, word);
        if (n == NULL) {
            node_free(left);
            return NULL;
        }
        if (node_add(p, n, left) < 0 || node_add(p, n, sub(p)) < 0) {
            node_free(n);
            return NULL;
        }
        left = n;
    }
    return left;
}

static struct pq_node *parse_and(struct parser *p)
{
    return parse_binary(p, "AND", PN_AND, parse_not);
}

static struct pq_node *parse_or(struct parser *p)
{
    return parse_binary(p, "OR", PN_OR, parse_and);
}

/* ---- statements --------------------------------------------------------------------------- */

/* What a statement's target may name: an index (SELECT), a table only by grammar (INSERT INTO),
 * or a table with an index refused as an operation (UPDATE, DELETE). */
enum source_rule { SOURCE_INDEX_OK, SOURCE_TABLE_ONLY, SOURCE_NOT_INDEX };

/* FROM/INTO/UPDATE target: "table" or "table"."index". */
static int parse_source(struct parser *p, struct pq_stmt *st, enum source_rule index_ok)
{
    char *parts[3] = {0};
    int n = 0;
    do {
        const struct token *t = peek(p, 0);
        if (t->kind != T_WORD && t->kind != T_QUOTED)
            return unexpected(p);
        if (t->kind == T_WORD && is_reserved(t))
            return unexpected(p);
        if (t->text[0] == '\0')
            return err_set(p->err, ERR_VALIDATION, "Path component cannot be an empty string");
        p->pos++;
        if (n < 3)
            parts[n] = t->text;
        n++;
    } while (accept_punct(p, "."));
    if (n > 2)
        return err_set(p->err, ERR_VALIDATION,
                       "A path may contain at most 2 components in the FROM clause");
    if (n == 2 && index_ok == SOURCE_TABLE_ONLY)
        return err_set(p->err, ERR_VALIDATION, "FROM clause may only contain a single table name "
                       "in data manipulation statements");
    if (n == 2 && index_ok == SOURCE_NOT_INDEX)
        return err_set(p->err, ERR_VALIDATION, "This operation is not supported on an index");
    st->table = strdup(parts[0]);
    st->index = n == 2 ? strdup(parts[1]) : NULL;
    if (st->table == NULL || (n == 2 && st->index == NULL))
        return err_set(p->err, ERR_INTERNAL, "out of memory");
    return 0;
}

static int parse_returning(struct parser *p, struct pq_stmt *st)
{
    int all, old;
    if (!accept_word(p, "RETURNING"))
        return 0;
    if (accept_word(p, "ALL"))
        all = 1;
    else if (accept_word(p, "MODIFIED"))
        all = 0;
    else
        return unexpected(p);
    if (accept_word(p, "OLD"))
        old = 1;
    else if (accept_word(p, "NEW"))
        old = 0;
    else
        return unexpected(p);
    if (!accept_punct(p, "*"))
        return err_set(p->err, ERR_VALIDATION,
                       "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    st->returning = all ? (old ? PQ_RET_ALL_OLD : PQ_RET_ALL_NEW)
                        : (old ? PQ_RET_MODIFIED_OLD : PQ_RET_MODIFIED_NEW);
    return 0;
}

static int parse_where(struct parser *p, struct pq_stmt *st, int required)
{
    if (!accept_word(p, "WHERE")) {
        if (required)
            return err_set(p->err, ERR_VALIDATION, "Where clause does not contain a mandatory "
                           "equality on all key attributes");
        return 0;
    }
    st->where = parse_or(p);
    return st->where == NULL ? -1 : 0;
}

static int parse_select(struct parser *p, struct pq_stmt *st)
{
    st->kind = PQ_SELECT;
    if (accept_punct(p, "*")) {
        st->star = 1;
        if (is_punct(peek(p, 0), ","))
            return err_set(p->err, ERR_VALIDATION, "Other attributes should not be present in "
                           "the projection when '*' is used.");
    } else {
        do {
            struct pq_node *path, **grown;
            if (is_punct(peek(p, 0), "*"))
                return err_set(p->err, ERR_VALIDATION, "Other attributes should not be present in "
                               "the projection when '*' is used.");
            path = parse_path(p);
            if (path == NULL)
                return -1;
            grown = realloc(st->projection, (size_t)(st->nprojection + 1) * sizeof *grown);
            if (grown == NULL) {
                node_free(path);
                return err_set(p->err, ERR_INTERNAL, "out of memory");
            }
            st->projection = grown;
            st->projection[st->nprojection++] = path;
        } while (accept_punct(p, ","));
        if (is_punct(peek(p, 0), "*"))
            return err_set(p->err, ERR_VALIDATION, "Other attributes should not be present in "
                           "the projection when '*' is used.");
    }
    if (expect_word(p, "FROM") < 0 || parse_source(p, st, SOURCE_INDEX_OK) < 0 ||
        parse_where(p, st, 0) < 0)
        return -1;
    if (accept_word(p, "ORDER")) {
        const struct token *t;
        if (expect_word(p, "BY") < 0)
            return -1;
        t = peek(p, 0);
        if (t->kind != T_WORD && t->kind != T_QUOTED)
            return unexpected(p);
        p->pos++;
        st->order_by = strdup(t->text);
        if (st->order_by == NULL)
            return err_set(p->err, ERR_INTERNAL, "out of memory");
        if (accept_word(p, "DESC"))
            st->order_desc = 1;
        else
            accept_word(p, "ASC");
    }
    return 0;
}

static int parse_insert(struct parser *p, struct pq_stmt *st)
{
    json_t *item;
    st->kind = PQ_INSERT;
    if (expect_word(p, "INTO") < 0 || parse_source(p, st, SOURCE_TABLE_ONLY) < 0)
        return -1;
    if (accept_word(p, "VALUES"))
        return err_set(p->err, ERR_VALIDATION, "Unsupported operation: Inserting multiple items "
                       "in a single statement is not supported, use \"INSERT INTO tableName VALUE "
                       "item\" instead");
    if (expect_word(p, "VALUE") < 0)
        return -1;
    if (!is_punct(peek(p, 0), "{") && !(peek(p, 0)->kind == T_PARAM))
        return err_set(p->err, ERR_VALIDATION, "Unsupported format in item expression. Please use "
                       "struct format {...} to express item values for insert statement.");
    item = parse_literal(p);
    if (item == NULL)
        return -1;
    if (json_object_get(item, "M") == NULL || json_object_size(item) != 1) {
        json_decref(item);
        return err_set(p->err, ERR_VALIDATION, "Unsupported format in item expression. Please use "
                       "struct format {...} to express item values for insert statement.");
    }
    st->item = json_incref(json_object_get(item, "M"));
    json_decref(item);
    if (is_word(peek(p, 0), "RETURNING"))
        return err_set(p->err, ERR_VALIDATION, "RETURNING is not supported in INSERT");
    return 0;
}

static int add_action(struct parser *p, struct pq_stmt *st, struct pq_node *path,
                      struct pq_node *value)
{
    struct pq_action *grown = realloc(st->actions, (size_t)(st->nactions + 1) * sizeof *grown);
    if (grown == NULL) {
        node_free(path);
        node_free(value);
        return err_set(p->err, ERR_INTERNAL, "out of memory");
    }
    st->actions = grown;
    st->actions[st->nactions].path = path;
    st->actions[st->nactions].value = value;
    st->nactions++;
    return 0;
}

static int parse_update(struct parser *p, struct pq_stmt *st)
{
    st->kind = PQ_UPDATE;
    if (parse_source(p, st, SOURCE_NOT_INDEX) < 0)
        return -1;
    for (;;) {
        int set;
        if (accept_word(p, "SET"))
            set = 1;
        else if (accept_word(p, "REMOVE"))
            set = 0;
        else
            break;
        do {
            struct pq_node *path = parse_path(p), *value = NULL;
            if (path == NULL)
                return -1;
            if (set) {
                if (expect_punct(p, "=") < 0 || (value = parse_value(p)) == NULL) {
                    node_free(path);
                    return -1;
                }
            }
            if (add_action(p, st, path, value) < 0)
                return -1;
        } while (accept_punct(p, ","));
    }
    if (st->nactions == 0) {
        if (is_word(peek(p, 0), "ADD") || is_word(peek(p, 0), "DELETE"))
            return err_set(p->err, ERR_VALIDATION,
                           "Only SET and REMOVE are supported in update expressions at this time");
        return unexpected(p);
    }
    if (parse_where(p, st, 1) < 0)
        return -1;
    return parse_returning(p, st);
}

static int parse_delete(struct parser *p, struct pq_stmt *st)
{
    st->kind = PQ_DELETE;
    if (expect_word(p, "FROM") < 0 || parse_source(p, st, SOURCE_NOT_INDEX) < 0 ||
        parse_where(p, st, 1) < 0)
        return -1;
    return parse_returning(p, st);
}

int pq_parse(const char *text, const json_t *params, struct pq_stmt **out, struct err *err)
{
    struct parser p = {.params = params, .err = err};
    struct pq_stmt *st = calloc(1, sizeof *st);
    int rc = -1;

    *out = NULL;
    if (text == NULL) {     /* a null member of Statements / TransactStatements */
        free(st);
        return err_set(err, ERR_VALIDATION, "1 validation error detected: Value null at "
                       "'statement' failed to satisfy constraint: Member must not be null");
    }
    if (st == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    if (lex(&p, text) < 0)
        goto done;
    if (accept_word(&p, "SELECT"))
        rc = parse_select(&p, st);
    else if (accept_word(&p, "INSERT"))
        rc = parse_insert(&p, st);
    else if (accept_word(&p, "UPDATE"))
        rc = parse_update(&p, st);
    else if (accept_word(&p, "DELETE"))
        rc = parse_delete(&p, st);
    else if (accept_word(&p, "EXISTS")) {
        rc = expect_punct(&p, "(") < 0 || expect_word(&p, "SELECT") < 0 ? -1 : parse_select(&p, st);
        if (rc == 0)
            rc = expect_punct(&p, ")");
        st->kind = PQ_EXISTS;
    }
    else
        rc = malformed(&p, "Expected data manipulation");
    if (rc == 0) {
        accept_punct(&p, ";");
        if (peek(&p, 0)->kind != T_END)
            rc = unexpected(&p);
    }
    if (rc == 0 && p.next_param != json_array_size(params))
        rc = err_set(err, ERR_VALIDATION, PQ_PARAM_COUNT);
done:
    for (int i = 0; i < p.ntoks; i++)
        free(p.toks[i].text);
    free(p.toks);
    if (rc < 0) {
        pq_free(st);
        return -1;
    }
    *out = st;
    return 0;
}

void pq_free(struct pq_stmt *st)
{
    if (st == NULL)
        return;
    free(st->table);
    free(st->index);
    for (int i = 0; i < st->nprojection; i++)
        node_free(st->projection[i]);
    free(st->projection);
    node_free(st->where);
    free(st->order_by);
    json_decref(st->item);
    for (int i = 0; i < st->nactions; i++) {
        node_free(st->actions[i].path);
        node_free(st->actions[i].value);
    }
    free(st->actions);
    free(st);
}

const char *pq_returning_text(enum pq_returning r)
{
    switch (r) {
    case PQ_RET_ALL_OLD: return "ALL OLD *";
    case PQ_RET_MODIFIED_OLD: return "MODIFIED OLD *";
    case PQ_RET_ALL_NEW: return "ALL NEW *";
    case PQ_RET_MODIFIED_NEW: return "MODIFIED NEW *";
    default: return "";
    }
}

/* ---- rendering ---------------------------------------------------------------------------- */

static int add_name(struct pq_render *r, const char *name, struct strbuf *sb)
{
    char ph[32];
    snprintf(ph, sizeof ph, "#n%d", r->nnames++);
    if (json_object_set_new(r->names, ph, json_string(name)) < 0)
        return -1;
    strbuf_puts(sb, ph);
    return 0;
}

static int add_value(struct pq_render *r, json_t *av, struct strbuf *sb)
{
    char ph[32];
    snprintf(ph, sizeof ph, ":v%d", r->nvalues++);
    if (json_object_set(r->values, ph, av) < 0)
        return -1;
    strbuf_puts(sb, ph);
    return 0;
}

static int render_args(const struct pq_node *n, int from, struct pq_render *r, struct strbuf *sb,
                       struct err *err)
{
    for (int i = from; i < n->nargs; i++) {
        if (i > from)
            strbuf_puts(sb, ", ");
        if (pq_render_node(n->args[i], r, sb, err) < 0)
            return -1;
    }
    return 0;
}

int pq_render_node(const struct pq_node *n, struct pq_render *r, struct strbuf *sb, struct err *err)
{
    static const struct { const char *is, *type; } is_map[] = {
        {"NULL", "NULL"}, {"BOOLEAN", "BOOL"}, {"BLOB", "B"}, {"STRING", "S"}, {"NUMERIC", "N"},
        {"STRUCT", "M"}, {"TUPLE", "M"}, {"LIST", "L"}, {NULL, NULL}};
    switch (n->kind) {
    case PN_PATH:
        for (int i = 0; i < n->npath; i++) {
            if (n->path[i].name == NULL) {
                char idx[32];
                if (i == 0)
                    return err_set(err, ERR_VALIDATION, "A path cannot start with a list index");
                snprintf(idx, sizeof idx, "[%ld]", n->path[i].index);
                strbuf_puts(sb, idx);
                continue;
            }
            if (i > 0)
                strbuf_puts(sb, ".");
            if (add_name(r, n->path[i].name, sb) < 0)
                return err_set(err, ERR_INTERNAL, "out of memory");
        }
        return 0;
    case PN_VALUE:
        return add_value(r, n->value, sb) < 0 ? err_set(err, ERR_INTERNAL, "out of memory") : 0;
    case PN_MISSING:
        return err_set(err, ERR_VALIDATION, "MISSING must be compared using IS operator");
    case PN_CMP:
    case PN_ARITH:
        /* comparisons bind tighter than NOT/AND/OR: no parentheses (DynamoDB refuses doubled
         * ones as redundant) */
        if (pq_render_node(n->args[0], r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, " ");
        strbuf_puts(sb, n->op);
        strbuf_puts(sb, " ");
        return pq_render_node(n->args[1], r, sb, err);
    case PN_BETWEEN:
        if (pq_render_node(n->args[0], r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, " BETWEEN ");
        if (pq_render_node(n->args[1], r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, " AND ");
        return pq_render_node(n->args[2], r, sb, err);
    case PN_IN:
        if (pq_render_node(n->args[0], r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, " IN (");
        if (render_args(n, 1, r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, ")");
        return 0;
    case PN_AND:
    case PN_OR:
        strbuf_puts(sb, "(");
        if (pq_render_node(n->args[0], r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, n->kind == PN_AND ? " AND " : " OR ");
        if (pq_render_node(n->args[1], r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, ")");
        return 0;
    case PN_NOT:
        strbuf_puts(sb, "(NOT ");
        if (pq_render_node(n->args[0], r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, ")");
        return 0;
    case PN_IS:
        if (n->args[0]->kind != PN_PATH)
            return err_set(err, ERR_VALIDATION, "The left hand side argument to IS must be a "
                           "Variable Reference, Literal, or Path");
        if (strcmp(n->op, "MISSING") == 0) {
            strbuf_puts(sb, n->negated ? "attribute_exists(" : "attribute_not_exists(");
            if (pq_render_node(n->args[0], r, sb, err) < 0)
                return -1;
            strbuf_puts(sb, ")");
            return 0;
        }
        for (int i = 0; is_map[i].is != NULL; i++) {
            json_t *type;
            if (strcmp(is_map[i].is, n->op) != 0)
                continue;
            strbuf_puts(sb, n->negated ? "(NOT attribute_type(" : "attribute_type(");
            if (pq_render_node(n->args[0], r, sb, err) < 0)
                return -1;
            strbuf_puts(sb, ", ");
            type = json_pack("{ss}", "S", is_map[i].type);
            if (type == NULL || add_value(r, type, sb) < 0) {
                json_decref(type);
                return err_set(err, ERR_INTERNAL, "out of memory");
            }
            json_decref(type);
            strbuf_puts(sb, n->negated ? "))" : ")");
            return 0;
        }
        return err_set(err, ERR_VALIDATION, "Unsupported data type for IS operator: %s", n->op);
    case PN_CALL: {
        static const char *const known[] = {"begins_with", "contains", "attribute_type", "size",
                                            "attribute_exists", "attribute_not_exists",
                                            "list_append", "if_not_exists", NULL};
        int i;
        for (i = 0; known[i] != NULL && strcmp(known[i], n->op) != 0; i++)
            ;
        if (known[i] == NULL)
            return err_set(err, ERR_VALIDATION, "Unrecognized function: %s", n->op);
        strbuf_puts(sb, n->op);
        strbuf_puts(sb, "(");
        if (render_args(n, 0, r, sb, err) < 0)
            return -1;
        strbuf_puts(sb, ")");
        return 0;
    }
    }
    return err_set(err, ERR_INTERNAL, "unknown PartiQL node");
}

int pq_conjuncts(const struct pq_node *where, const struct pq_node **terms, int max)
{
    int n = 0;
    if (where == NULL)
        return 0;
    if (where->kind == PN_AND) {
        n = pq_conjuncts(where->args[0], terms, max);
        return n + pq_conjuncts(where->args[1], n < max ? terms + n : terms + max, max - n);
    }
    if (max > 0)
        terms[0] = where;
    return 1;
}

int pq_self_parenthesized(const struct pq_node *node)
{
    return node->kind == PN_AND || node->kind == PN_OR || node->kind == PN_NOT ||
           (node->kind == PN_IS && node->negated && strcmp(node->op, "MISSING") != 0);
}

const char *pq_simple_name(const struct pq_node *node)
{
    if (node == NULL || node->kind != PN_PATH || node->npath != 1 || node->path[0].name == NULL)
        return NULL;
    return node->path[0].name;
}

void pq_visit_names(const struct pq_node *node, void (*fn)(void *arg, const char *name), void *arg)
{
    if (node == NULL)
        return;
    if (node->kind == PN_PATH && node->npath > 0 && node->path[0].name != NULL)
        fn(arg, node->path[0].name);
    for (int i = 0; i < node->nargs; i++)
        pq_visit_names(node->args[i], fn, arg);
}
