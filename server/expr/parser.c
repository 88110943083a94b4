/* parser.c — one recursive-descent parser for all five expression kinds, building the unresolved
 * AST (#names and :values stay references; resolve.c substitutes and checks them). It reports
 * what DynamoDB reports while parsing: `Syntax error; token: "<t>", near: "<prev .. next>"`, and
 * "The expression has redundant parentheses;" as soon as a second pair closes — or not, when
 * DynamoDB's ANTLR prediction would first have read into a syntax error (predict_primary and
 * predict_value reproduce it). Nesting beyond MAX_DEPTH is refused: DynamoDB accepts 300
 * operators and overflows its stack near 3,000 levels. Entry point: expr__parse. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 1000
#define MSG_REDUNDANT "The expression has redundant parentheses;"
#define MSG_TOO_DEEP "The expression contains too many operators; operator count: 301"

struct parser {
    struct expr *e;
    const struct token *t;
    size_t n;              /* number of tokens, the last being TK_EOF */
    size_t pos;
    unsigned depth;
    int too_deep;          /* a recognizer hit MAX_DEPTH */
    struct err *err;
};

/* ---------------------------------------------------------------- errors ---------------------- */

static int syntax_error(struct parser *p, size_t i)
{
    const struct token *t = &p->t[i];
    const char *text = p->e->text;
    size_t len = p->e->text_len, near_start, near_end;

    /* From the previous token (or the start) to the end of the next one (or the end). */
    near_start = i > 0 ? p->t[i - 1].start : 0;
    if (t->kind != TK_EOF && i + 1 < p->n && p->t[i + 1].kind != TK_EOF)
        near_end = p->t[i + 1].start + p->t[i + 1].len;
    else
        near_end = len;
    if (t->kind == TK_EOF)
        return err_set(p->err, ERR_VALIDATION, "Syntax error; token: \"<EOF>\", near: \"%.*s\"",
                       (int)(near_end - near_start), text + near_start);
    return err_set(p->err, ERR_VALIDATION, "Syntax error; token: \"%.*s\", near: \"%.*s\"",
                   (int)t->len, text + t->start, (int)(near_end - near_start), text + near_start);
}

static int too_deep(struct parser *p)
{
    return err_set(p->err, ERR_VALIDATION, MSG_TOO_DEEP);
}

static int oom(struct parser *p)
{
    return err_set(p->err, ERR_INTERNAL, "out of memory");
}

/* ---------------------------------------------------------------- token helpers --------------- */

static enum tok_kind kind_at(const struct parser *p, size_t i)
{
    return i < p->n ? p->t[i].kind : TK_EOF;
}

static enum tok_kind peek(const struct parser *p)
{
    return kind_at(p, p->pos);
}

static int is_comparator(enum tok_kind k)
{
    return k >= TK_EQ && k <= TK_GE;
}

/* After a '.', DynamoDB's grammar takes a name, a #name, or a :value token (which it then looks
 * up, in vain, among the names: "a.:v" is "An expression attribute name used in the document
 * path is not defined; attribute name: :v"). */
static int is_name_elem(enum tok_kind k)
{
    return k == TK_ID || k == TK_NAMEREF || k == TK_VALREF;
}

/* What may follow a complete condition anywhere (ANTLR's global FOLLOW set of the rule). */
static int follows_condition(enum tok_kind k)
{
    return k == TK_AND || k == TK_OR || k == TK_RPAREN || k == TK_EOF;
}

/* What may follow a complete SET value. */
static int follows_value(enum tok_kind k)
{
    return k == TK_COMMA || k == TK_SET || k == TK_REMOVE || k == TK_ADD || k == TK_DELETE ||
           k == TK_EOF || k == TK_RPAREN;
}

/* ---------------------------------------------------------------- recognizers ----------------- */

/* Pure recognizers used for prediction: no AST, no actions. Each returns 0 with *at = the index
 * just past what it recognized, or 1 with *at = the index of the first token that cannot
 * continue (the token ANTLR would report). */

static int rec_operand(struct parser *p, size_t i, size_t *at, unsigned depth);

static int rec_path(struct parser *p, size_t i, size_t *at)
{
    if (kind_at(p, i) != TK_ID && kind_at(p, i) != TK_NAMEREF) {
        *at = i;
        return 1;
    }
    i++;
    for (;;) {
        if (kind_at(p, i) == TK_DOT) {
            if (!is_name_elem(kind_at(p, i + 1))) {
                *at = i + 1;
                return 1;
            }
            i += 2;
        } else if (kind_at(p, i) == TK_LBRACKET) {
            if (kind_at(p, i + 1) != TK_INDEX) {
                *at = i + 1;
                return 1;
            }
            if (kind_at(p, i + 2) != TK_RBRACKET) {
                *at = i + 2;
                return 1;
            }
            i += 3;
        } else {
            *at = i;
            return 0;
        }
    }
}

/* ID '(' operand (',' operand)* ')' */
static int rec_func(struct parser *p, size_t i, size_t *at, unsigned depth)
{
    if (depth > MAX_DEPTH) {
        p->too_deep = 1;
        *at = i;
        return 1;
    }
    i += 2;
    for (;;) {
        if (rec_operand(p, i, &i, depth + 1)) {
            *at = i;
            return 1;
        }
        if (kind_at(p, i) == TK_COMMA) {
            i++;
            continue;
        }
        if (kind_at(p, i) == TK_RPAREN) {
            *at = i + 1;
            return 0;
        }
        *at = i;
        return 1;
    }
}

static int rec_operand(struct parser *p, size_t i, size_t *at, unsigned depth)
{
    if (depth > MAX_DEPTH) {
        p->too_deep = 1;
        *at = i;
        return 1;
    }
    switch (kind_at(p, i)) {
    case TK_LPAREN:
        if (rec_operand(p, i + 1, &i, depth + 1)) {
            *at = i;
            return 1;
        }
        if (kind_at(p, i) != TK_RPAREN) {
            *at = i;
            return 1;
        }
        *at = i + 1;
        return 0;
    case TK_ID:
        if (kind_at(p, i + 1) == TK_LPAREN)
            return rec_func(p, i, at, depth + 1);
        return rec_path(p, i, at);
    case TK_NAMEREF:
        return rec_path(p, i, at);
    case TK_VALREF:
        *at = i + 1;
        return 0;
    default:
        *at = i;
        return 1;
    }
}

/* Conditions are recognized with a cover grammar: a parenthesized group is classified as an
 * operand ("(a)"), a condition ("(a = b)") or either ("(size(a))"), which is decided by what
 * follows, so that recognition is deterministic and linear. */
enum cover { CV_OPERAND, CV_CONDITION, CV_EITHER };

static int rec_condition(struct parser *p, size_t i, size_t *at, unsigned depth);

static int rec_paren_cover(struct parser *p, size_t i, size_t *at, enum cover *kind,
                           unsigned depth);

/* A primary whose first part (an operand, condition or either) ended at i: completes it into a
 * condition primary (comparison, BETWEEN or IN tail) when needed. */
static int rec_primary_tail(struct parser *p, size_t i, enum cover kind, size_t *at,
                            unsigned depth)
{
    enum tok_kind k = kind_at(p, i);

    if (kind != CV_CONDITION && is_comparator(k))
        return rec_operand(p, i + 1, at, depth + 1);
    if (kind != CV_CONDITION && k == TK_BETWEEN) {
        if (rec_operand(p, i + 1, &i, depth + 1)) {
            *at = i;
            return 1;
        }
        if (kind_at(p, i) != TK_AND) {
            *at = i;
            return 1;
        }
        return rec_operand(p, i + 1, at, depth + 1);
    }
    if (kind != CV_CONDITION && k == TK_IN) {
        if (kind_at(p, i + 1) != TK_LPAREN) {
            *at = i + 1;
            return 1;
        }
        i += 2;
        for (;;) {
            if (rec_operand(p, i, &i, depth + 1)) {
                *at = i;
                return 1;
            }
            if (kind_at(p, i) == TK_COMMA) {
                i++;
                continue;
            }
            if (kind_at(p, i) == TK_RPAREN) {
                *at = i + 1;
                return 0;
            }
            *at = i;
            return 1;
        }
    }
    if (kind != CV_OPERAND) {
        *at = i;
        return 0;
    }
    *at = i;
    return 1;
}

/* The first part of a primary: a parenthesized cover, a function call (either), or a path or
 * value (operand). */
static int rec_primary_head(struct parser *p, size_t i, size_t *at, enum cover *kind,
                            unsigned depth)
{
    switch (kind_at(p, i)) {
    case TK_LPAREN:
        return rec_paren_cover(p, i, at, kind, depth + 1);
    case TK_ID:
        if (kind_at(p, i + 1) == TK_LPAREN) {
            *kind = CV_EITHER;
            return rec_func(p, i, at, depth + 1);
        }
        *kind = CV_OPERAND;
        return rec_path(p, i, at);
    case TK_NAMEREF:
        *kind = CV_OPERAND;
        return rec_path(p, i, at);
    case TK_VALREF:
        *kind = CV_OPERAND;
        *at = i + 1;
        return 0;
    default:
        *at = i;
        return 1;
    }
}

/* NOT* primary */
static int rec_not(struct parser *p, size_t i, size_t *at, unsigned depth)
{
    enum cover kind;

    while (kind_at(p, i) == TK_NOT) {
        if (++depth > MAX_DEPTH) {
            p->too_deep = 1;
            *at = i;
            return 1;
        }
        i++;
    }
    if (rec_primary_head(p, i, &i, &kind, depth)) {
        *at = i;
        return 1;
    }
    return rec_primary_tail(p, i, kind, at, depth);
}

/* The AND/OR continuation of a condition whose first operand ended at i. */
static int rec_condition_tail(struct parser *p, size_t i, size_t *at, unsigned depth)
{
    while (kind_at(p, i) == TK_AND || kind_at(p, i) == TK_OR)
        if (rec_not(p, i + 1, &i, depth)) {
            *at = i;
            return 1;
        }
    *at = i;
    return 0;
}

static int rec_condition(struct parser *p, size_t i, size_t *at, unsigned depth)
{
    if (depth > MAX_DEPTH) {
        p->too_deep = 1;
        *at = i;
        return 1;
    }
    if (rec_not(p, i, &i, depth)) {
        *at = i;
        return 1;
    }
    return rec_condition_tail(p, i, at, depth);
}

/* '(' (condition | operand) ')' with its classification. */
static int rec_paren_cover(struct parser *p, size_t i, size_t *at, enum cover *kind,
                           unsigned depth)
{
    enum cover inner;

    if (depth > MAX_DEPTH) {
        p->too_deep = 1;
        *at = i;
        return 1;
    }
    i++;
    if (kind_at(p, i) == TK_NOT) {
        if (rec_condition(p, i, &i, depth + 1)) {
            *at = i;
            return 1;
        }
        inner = CV_CONDITION;
    } else {
        if (rec_primary_head(p, i, &i, &inner, depth)) {
            *at = i;
            return 1;
        }
        if (kind_at(p, i) != TK_RPAREN) {
            if (rec_primary_tail(p, i, inner, &i, depth) ||
                rec_condition_tail(p, i, &i, depth)) {
                *at = i;
                return 1;
            }
            inner = CV_CONDITION;
        }
    }
    if (kind_at(p, i) != TK_RPAREN) {
        *at = i;
        return 1;
    }
    *kind = inner;
    *at = i + 1;
    return 0;
}

/* '(' condition ')' */
static int rec_group(struct parser *p, size_t i, size_t *at, unsigned depth)
{
    if (rec_condition(p, i + 1, &i, depth + 1)) {
        *at = i;
        return 1;
    }
    if (kind_at(p, i) != TK_RPAREN) {
        *at = i;
        return 1;
    }
    *at = i + 1;
    return 0;
}

/* Update values: value := '(' value ')' | operand (('+'|'-') operand)? . The cover classifies a
 * parenthesized value as an operand or an arithmetic (which cannot take a further + or -). */
static int rec_value(struct parser *p, size_t i, size_t *at, int *arith, unsigned depth);

static int rec_value_head(struct parser *p, size_t i, size_t *at, int *arith, unsigned depth)
{
    if (depth > MAX_DEPTH) {
        p->too_deep = 1;
        *at = i;
        return 1;
    }
    if (kind_at(p, i) == TK_LPAREN) {
        if (rec_value(p, i + 1, &i, arith, depth + 1)) {
            *at = i;
            return 1;
        }
        if (kind_at(p, i) != TK_RPAREN) {
            *at = i;
            return 1;
        }
        *at = i + 1;
        return 0;
    }
    *arith = 0;
    return rec_operand(p, i, at, depth + 1);
}

static int rec_value(struct parser *p, size_t i, size_t *at, int *arith, unsigned depth)
{
    if (rec_value_head(p, i, &i, arith, depth)) {
        *at = i;
        return 1;
    }
    if (!*arith && (kind_at(p, i) == TK_PLUS || kind_at(p, i) == TK_MINUS)) {
        *arith = 1;
        return rec_operand(p, i + 1, at, depth + 1);
    }
    *at = i;
    return 0;
}

/* ---------------------------------------------------------------- prediction ------------------ */

/* DynamoDB's grammar lists the primary conditions as separate alternatives: a parenthesized
 * condition, a function call, and comparison / BETWEEN / IN, the last three starting with the same
 * operand. ANTLR predicts among them by reading ahead until one alternative is left, executing no
 * actions meanwhile; the comparison-like three only part at the token after their operand. If all
 * die at the same token, it still picks an alternative that had just completed a condition;
 * otherwise it reports a syntax error there. Hence "((a)) b" is a syntax error at b but
 * "((a)) <" and "((size(a))) b" report redundant parentheses (verified on DynamoDB Local).
 *
 * Each alternative is summarized as: alive past the decision, or dead at token `dies` (after
 * having just completed the rule, `finished`). */
enum alt { ALT_ERROR, ALT_GROUP, ALT_FUNCTION, ALT_OPERAND };

struct alt_state {
    int present, alive, finished;
    size_t dies;
};

static void alt_from_complete(struct alt_state *a, int failed, size_t at, int follow_ok)
{
    a->present = 1;
    if (failed) {
        a->dies = at;
    } else if (follow_ok) {
        a->alive = 1;
    } else {
        a->dies = at;
        a->finished = 1;
    }
}

/* Chooses among the alternatives; for ALT_ERROR *err_at is the token to report. The operand-led
 * family is several alternatives: it never wins by outliving the others alone. */
static enum alt decide(const struct alt_state *group, const struct alt_state *func,
                       const struct alt_state *opnd, size_t *err_at)
{
    const struct alt_state *alts[3] = {group, func, opnd};
    static const enum alt ids[3] = {ALT_GROUP, ALT_FUNCTION, ALT_OPERAND};
    size_t max = 0;
    int any = 0;

    for (int k = 0; k < 3; k++)
        if (alts[k]->present && alts[k]->alive)
            return ids[k];
    for (int k = 0; k < 3; k++)
        if (alts[k]->present && (!any || alts[k]->dies > max)) {
            max = alts[k]->dies;
            any = 1;
        }
    int at_max = 0, last = -1;
    for (int k = 0; k < 3; k++)
        if (alts[k]->present && alts[k]->dies == max) {
            at_max++;
            last = k;
        }
    for (int k = 0; k < 3; k++)
        if (alts[k]->present && alts[k]->dies == max && alts[k]->finished)
            return ids[k];
    if (at_max == 1 && ids[last] != ALT_OPERAND)
        return ids[last];
    *err_at = max;
    return ALT_ERROR;
}

static enum alt predict_primary(struct parser *p, size_t *err_at)
{
    struct alt_state group = {0}, func = {0}, opnd = {0};
    size_t i = p->pos, at;
    int failed;

    if (kind_at(p, i) == TK_LPAREN) {
        failed = rec_group(p, i, &at, p->depth);
        alt_from_complete(&group, failed, at, !failed && follows_condition(kind_at(p, at)));
    }
    if (kind_at(p, i) == TK_ID && kind_at(p, i + 1) == TK_LPAREN) {
        failed = rec_func(p, i, &at, p->depth);
        alt_from_complete(&func, failed, at, !failed && follows_condition(kind_at(p, at)));
    }
    failed = rec_operand(p, i, &at, p->depth);
    opnd.present = 1;
    if (failed)
        opnd.dies = at;
    else if (is_comparator(kind_at(p, at)) || kind_at(p, at) == TK_BETWEEN ||
             kind_at(p, at) == TK_IN)
        opnd.alive = 1;
    else
        opnd.dies = at;
    return decide(&group, &func, &opnd, err_at);
}

/* The same for a SET value: a parenthesized value, or the operand-led family (operand alone,
 * operand + operand, operand - operand), which part only after the first operand — so a syntax
 * error inside a leading function call is reported before any redundancy in its arguments.
 * Returns ALT_GROUP or ALT_OPERAND (or ALT_ERROR). */
static enum alt predict_value(struct parser *p, size_t *err_at)
{
    struct alt_state group = {0}, none = {0}, opnd = {0};
    size_t i = p->pos, at;
    int arith, failed;

    if (kind_at(p, i) == TK_LPAREN) {
        failed = rec_value_head(p, i, &at, &arith, p->depth);
        alt_from_complete(&group, failed, at, !failed && follows_value(kind_at(p, at)));
    }
    failed = rec_operand(p, i, &at, p->depth);
    opnd.present = 1;
    if (failed) {
        opnd.dies = at;
    } else if (kind_at(p, at) == TK_PLUS || kind_at(p, at) == TK_MINUS ||
               follows_value(kind_at(p, at))) {
        opnd.alive = 1;
    } else {
        opnd.dies = at;
        opnd.finished = 1;   /* the operand alone was a complete value */
    }
    if (opnd.alive)
        return ALT_OPERAND;
    return decide(&group, &none, &opnd, err_at);
}

/* ---------------------------------------------------------------- AST construction ------------ */

static struct node *new_node(struct parser *p, enum node_kind kind, uint32_t tok)
{
    struct node *n = expr__alloc(&p->e->arena, sizeof *n);
    if (n == NULL) {
        oom(p);
        return NULL;
    }
    n->kind = kind;
    n->tok = tok;
    return n;
}

/* Growable child list kept in a malloc'd scratch array, copied into the arena when done. */
struct kids {
    struct node **v;
    uint32_t n, cap;
};

static int kids_push(struct parser *p, struct kids *k, struct node *child)
{
    if (k->n == k->cap) {
        uint32_t cap = k->cap ? k->cap * 2 : 4;
        struct node **v = realloc(k->v, cap * sizeof *v);
        if (v == NULL) {
            oom(p);
            return -1;
        }
        k->v = v;
        k->cap = cap;
    }
    k->v[k->n++] = child;
    return 0;
}

static int kids_attach(struct parser *p, struct kids *k, struct node *n)
{
    n->child = expr__alloc(&p->e->arena, (k->n ? k->n : 1) * sizeof *n->child);
    if (n->child == NULL) {
        free(k->v);
        k->v = NULL;
        return oom(p);
    }
    if (k->n)
        memcpy(n->child, k->v, k->n * sizeof *n->child);
    n->nchild = k->n;
    free(k->v);
    k->v = NULL;
    return 0;
}

static int expect(struct parser *p, enum tok_kind k)
{
    if (peek(p) != k)
        return syntax_error(p, p->pos);
    p->pos++;
    return 0;
}

static int enter(struct parser *p)
{
    if (++p->depth > MAX_DEPTH)
        return too_deep(p);
    return 0;
}

/* ---------------------------------------------------------------- paths and operands ---------- */

/* path := (ID | #name) ( '.' (ID | #name) | '[' INDEX ']' )*   — names stay unresolved here:
 * elem.name points at the token text (with its '#'), elem.index holds 0 until resolve. */
static int parse_path(struct parser *p, struct path *out)
{
    struct path_elem *v = NULL;
    uint32_t n = 0, cap = 0;

    if (peek(p) != TK_ID && peek(p) != TK_NAMEREF)
        return syntax_error(p, p->pos);
    out->tok = (uint32_t)p->pos;
    for (;;) {
        size_t elem_tok;
        if (n == 0) {
            elem_tok = p->pos++;
        } else if (peek(p) == TK_DOT) {
            p->pos++;
            if (!is_name_elem(peek(p))) {
                free(v);
                return syntax_error(p, p->pos);
            }
            elem_tok = p->pos++;
        } else if (peek(p) == TK_LBRACKET) {
            p->pos++;
            if (peek(p) != TK_INDEX) {
                free(v);
                return syntax_error(p, p->pos);
            }
            elem_tok = p->pos++;
            if (peek(p) != TK_RBRACKET) {
                free(v);
                return syntax_error(p, p->pos);
            }
            p->pos++;
        } else {
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            struct path_elem *bigger = realloc(v, cap * sizeof *v);
            if (bigger == NULL) {
                free(v);
                return oom(p);
            }
            v = bigger;
        }
        const struct token *t = &p->t[elem_tok];
        memset(&v[n], 0, sizeof v[n]);
        v[n].tok = (uint32_t)elem_tok;
        if (t->kind != TK_INDEX) {
            v[n].name = p->e->text + t->start;
            v[n].name_len = t->len;
        }
        n++;
    }
    out->elems = expr__alloc(&p->e->arena, n * sizeof *out->elems);
    if (out->elems == NULL) {
        free(v);
        return oom(p);
    }
    memcpy(out->elems, v, n * sizeof *v);
    out->n = n;
    free(v);
    return 0;
}

static struct node *parse_operand(struct parser *p);

/* ID '(' operand (',' operand)* ')' */
static struct node *parse_function(struct parser *p)
{
    struct node *n = new_node(p, N_FUNC, (uint32_t)p->pos);
    struct kids k = {0};
    const struct token *name = &p->t[p->pos];

    if (n == NULL || enter(p))
        return NULL;
    n->fn = expr__func_lookup(p->e->text + name->start, name->len);
    p->pos += 2;
    for (;;) {
        struct node *arg = parse_operand(p);
        if (arg == NULL || kids_push(p, &k, arg)) {
            free(k.v);
            return NULL;
        }
        if (peek(p) == TK_COMMA) {
            p->pos++;
            continue;
        }
        if (peek(p) == TK_RPAREN) {
            p->pos++;
            break;
        }
        free(k.v);
        syntax_error(p, p->pos);
        return NULL;
    }
    p->depth--;
    return kids_attach(p, &k, n) ? NULL : n;
}

/* operand := path | :value | function | '(' operand ')' */
static struct node *parse_operand(struct parser *p)
{
    struct node *n;

    switch (peek(p)) {
    case TK_LPAREN:
        if (enter(p))
            return NULL;
        p->pos++;
        n = parse_operand(p);
        if (n == NULL || expect(p, TK_RPAREN))
            return NULL;
        if (n->paren) {
            err_set(p->err, ERR_VALIDATION, MSG_REDUNDANT);
            return NULL;
        }
        n->paren = 1;
        p->depth--;
        return n;
    case TK_ID:
        if (kind_at(p, p->pos + 1) == TK_LPAREN)
            return parse_function(p);
        /* fall through */
    case TK_NAMEREF:
        n = new_node(p, N_PATH, (uint32_t)p->pos);
        if (n == NULL || parse_path(p, &n->path))
            return NULL;
        return n;
    case TK_VALREF:
        n = new_node(p, N_VALUE, (uint32_t)p->pos);
        if (n != NULL)
            p->pos++;
        return n;
    default:
        syntax_error(p, p->pos);
        return NULL;
    }
}

/* ---------------------------------------------------------------- conditions ------------------ */

static struct node *parse_condition(struct parser *p);

/* The comparison, BETWEEN or IN after a left operand. */
static struct node *parse_comparison_tail(struct parser *p, struct node *lhs)
{
    enum tok_kind k = peek(p);
    struct node *n;
    struct kids kids = {0};

    if (is_comparator(k)) {
        n = new_node(p, N_CMP, lhs->tok);
        if (n == NULL)
            return NULL;
        n->op = k;
        p->pos++;
        struct node *rhs = parse_operand(p);
        if (rhs == NULL || kids_push(p, &kids, lhs) || kids_push(p, &kids, rhs)) {
            free(kids.v);
            return NULL;
        }
        return kids_attach(p, &kids, n) ? NULL : n;
    }
    if (k == TK_BETWEEN) {
        n = new_node(p, N_BETWEEN, lhs->tok);
        if (n == NULL || kids_push(p, &kids, lhs))
            goto fail;
        p->pos++;
        struct node *lo = parse_operand(p);
        if (lo == NULL || kids_push(p, &kids, lo) || expect(p, TK_AND))
            goto fail;
        struct node *hi = parse_operand(p);
        if (hi == NULL || kids_push(p, &kids, hi))
            goto fail;
        return kids_attach(p, &kids, n) ? NULL : n;
    }
    if (k == TK_IN) {
        n = new_node(p, N_IN, lhs->tok);
        if (n == NULL || kids_push(p, &kids, lhs))
            goto fail;
        p->pos++;
        if (expect(p, TK_LPAREN))
            goto fail;
        for (;;) {
            struct node *v = parse_operand(p);
            if (v == NULL || kids_push(p, &kids, v))
                goto fail;
            if (peek(p) == TK_COMMA) {
                p->pos++;
                continue;
            }
            if (expect(p, TK_RPAREN))
                goto fail;
            break;
        }
        return kids_attach(p, &kids, n) ? NULL : n;
    }
    syntax_error(p, p->pos);
    return NULL;
fail:
    free(kids.v);
    return NULL;
}

static struct node *parse_primary(struct parser *p)
{
    size_t err_at = 0;
    enum alt alt = ALT_OPERAND;
    enum tok_kind k = peek(p);

    if (k == TK_LPAREN || (k == TK_ID && kind_at(p, p->pos + 1) == TK_LPAREN)) {
        alt = predict_primary(p, &err_at);
        if (p->too_deep) {
            too_deep(p);
            return NULL;
        }
        if (alt == ALT_ERROR) {
            syntax_error(p, err_at);
            return NULL;
        }
    }
    if (alt == ALT_GROUP) {
        if (enter(p))
            return NULL;
        p->pos++;
        struct node *n = parse_condition(p);
        if (n == NULL || expect(p, TK_RPAREN))
            return NULL;
        if (n->paren) {
            err_set(p->err, ERR_VALIDATION, MSG_REDUNDANT);
            return NULL;
        }
        n->paren = 1;
        p->depth--;
        return n;
    }
    if (alt == ALT_FUNCTION)
        return parse_function(p);
    struct node *lhs = parse_operand(p);
    return lhs == NULL ? NULL : parse_comparison_tail(p, lhs);
}

static struct node *parse_not(struct parser *p)
{
    if (peek(p) != TK_NOT)
        return parse_primary(p);
    struct node *n = new_node(p, N_NOT, (uint32_t)p->pos);
    struct kids k = {0};
    if (n == NULL || enter(p))
        return NULL;
    p->pos++;
    struct node *c = parse_not(p);
    if (c == NULL || kids_push(p, &k, c))
        return NULL;
    p->depth--;
    return kids_attach(p, &k, n) ? NULL : n;
}

/* AND binds tighter than OR; chains of the same operator become one n-ary node (evaluated and
 * checked left to right, as the binary left-associative tree would be). */
static struct node *parse_and(struct parser *p)
{
    struct node *first = parse_not(p);
    if (first == NULL || peek(p) != TK_AND)
        return first;
    struct node *n = new_node(p, N_AND, first->tok);
    struct kids k = {0};
    if (n == NULL || kids_push(p, &k, first))
        goto fail;
    while (peek(p) == TK_AND) {
        p->pos++;
        struct node *c = parse_not(p);
        if (c == NULL || kids_push(p, &k, c))
            goto fail;
    }
    return kids_attach(p, &k, n) ? NULL : n;
fail:
    free(k.v);
    return NULL;
}

static struct node *parse_condition(struct parser *p)
{
    struct node *first = parse_and(p);
    if (first == NULL || peek(p) != TK_OR)
        return first;
    struct node *n = new_node(p, N_OR, first->tok);
    struct kids k = {0};
    if (n == NULL || kids_push(p, &k, first))
        goto fail;
    while (peek(p) == TK_OR) {
        p->pos++;
        struct node *c = parse_and(p);
        if (c == NULL || kids_push(p, &k, c))
            goto fail;
    }
    return kids_attach(p, &k, n) ? NULL : n;
fail:
    free(k.v);
    return NULL;
}

/* ---------------------------------------------------------------- updates --------------------- */

/* value := '(' value ')' | operand (('+'|'-') operand)? */
static struct node *parse_value(struct parser *p)
{
    size_t err_at = 0;

    if (peek(p) == TK_LPAREN || (peek(p) == TK_ID && kind_at(p, p->pos + 1) == TK_LPAREN)) {
        enum alt alt = predict_value(p, &err_at);
        if (p->too_deep) {
            too_deep(p);
            return NULL;
        }
        if (alt == ALT_ERROR) {
            syntax_error(p, err_at);
            return NULL;
        }
        if (alt == ALT_GROUP) {
            if (enter(p))
                return NULL;
            p->pos++;
            struct node *n = parse_value(p);
            if (n == NULL || expect(p, TK_RPAREN))
                return NULL;
            if (n->paren) {
                err_set(p->err, ERR_VALIDATION, MSG_REDUNDANT);
                return NULL;
            }
            n->paren = 1;
            p->depth--;
            return n;
        }
    }
    struct node *lhs = parse_operand(p);
    if (lhs == NULL || (peek(p) != TK_PLUS && peek(p) != TK_MINUS))
        return lhs;
    struct node *n = new_node(p, peek(p) == TK_PLUS ? N_PLUS : N_MINUS, (uint32_t)p->pos);
    struct kids k = {0};
    if (n == NULL)
        return NULL;
    p->pos++;
    struct node *rhs = parse_operand(p);
    if (rhs == NULL || kids_push(p, &k, lhs) || kids_push(p, &k, rhs)) {
        free(k.v);
        return NULL;
    }
    return kids_attach(p, &k, n) ? NULL : n;
}

static int push_action(struct parser *p, struct action **v, uint32_t *n, uint32_t *cap,
                       const struct action *a)
{
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 4;
        struct action *bigger = realloc(*v, c * sizeof *bigger);
        if (bigger == NULL)
            return oom(p);
        *v = bigger;
        *cap = c;
    }
    (*v)[(*n)++] = *a;
    return 0;
}

/* update := ( SET set (',' set)* | REMOVE path (',' path)* | ADD path :v (',' path :v)*
 *           | DELETE path :v (',' path :v)* )+ EOF */
static int parse_update(struct parser *p)
{
    struct action *v = NULL;
    uint32_t n = 0, cap = 0;

    do {
        enum tok_kind section = peek(p);
        enum action_kind kind;
        switch (section) {
        case TK_SET: kind = A_SET; break;
        case TK_REMOVE: kind = A_REMOVE; break;
        case TK_ADD: kind = A_ADD; break;
        case TK_DELETE: kind = A_DELETE; break;
        default:
            free(v);
            return syntax_error(p, p->pos);
        }
        p->pos++;
        for (;;) {
            struct action a;
            memset(&a, 0, sizeof a);
            a.kind = kind;
            a.tok = (uint32_t)p->pos;
            if (parse_path(p, &a.path))
                goto fail;
            if (kind == A_SET) {
                if (expect(p, TK_EQ) || (a.value = parse_value(p)) == NULL)
                    goto fail;
            } else if (kind == A_ADD || kind == A_DELETE) {
                if (peek(p) != TK_VALREF) {
                    syntax_error(p, p->pos);
                    goto fail;
                }
                if ((a.value = new_node(p, N_VALUE, (uint32_t)p->pos)) == NULL)
                    goto fail;
                p->pos++;
            }
            if (push_action(p, &v, &n, &cap, &a))
                goto fail;
            if (peek(p) != TK_COMMA)
                break;
            p->pos++;
        }
    } while (peek(p) != TK_EOF);
    p->e->actions = expr__alloc(&p->e->arena, (n ? n : 1) * sizeof *v);
    if (p->e->actions == NULL)
        goto fail_oom;
    memcpy(p->e->actions, v, n * sizeof *v);
    p->e->nactions = n;
    free(v);
    return 0;
fail_oom:
    oom(p);
fail:
    free(v);
    return -1;
}

/* ---------------------------------------------------------------- projections ----------------- */

/* projection := path (',' path)* EOF */
static int parse_projection(struct parser *p)
{
    struct path *v = NULL;
    uint32_t n = 0, cap = 0;

    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            struct path *bigger = realloc(v, cap * sizeof *v);
            if (bigger == NULL) {
                free(v);
                return oom(p);
            }
            v = bigger;
        }
        if (parse_path(p, &v[n])) {
            free(v);
            return -1;
        }
        n++;
        if (peek(p) != TK_COMMA)
            break;
        p->pos++;
    }
    if (peek(p) != TK_EOF) {
        free(v);
        return syntax_error(p, p->pos);
    }
    p->e->paths = expr__alloc(&p->e->arena, n * sizeof *v);
    if (p->e->paths == NULL) {
        free(v);
        return oom(p);
    }
    memcpy(p->e->paths, v, n * sizeof *v);
    p->e->npaths = n;
    free(v);
    return 0;
}

/* ---------------------------------------------------------------- entry point ----------------- */

int expr__parse(struct expr *e, struct err *err)
{
    struct parser p;

    memset(&p, 0, sizeof p);
    p.e = e;
    p.err = err;
    if (expr__lex(e->text, e->text_len, &e->toks, &e->ntoks, err))
        return -1;
    p.t = e->toks;
    p.n = e->ntoks;
    switch (e->kind) {
    case EXPR_UPDATE:
        return parse_update(&p);
    case EXPR_PROJECTION:
        return parse_projection(&p);
    case EXPR_CONDITION:
    case EXPR_FILTER:
    case EXPR_KEY_CONDITION:
    case EXPR__KINDS:
        break;
    }
    e->root = parse_condition(&p);
    if (e->root == NULL)
        return -1;
    if (peek(&p) != TK_EOF)
        return syntax_error(&p, p.pos);
    return 0;
}
