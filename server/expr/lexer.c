/* lexer.c — splits an expression into tokens, the way DynamoDB's lexer does (all five kinds share
 * it): whitespace is space, tab, CR and LF; identifiers start with a letter; keywords (AND, OR,
 * NOT, BETWEEN, IN, SET, REMOVE, ADD, DELETE) are recognised in any case and are never names; list
 * indexes are 0 or digits without a leading zero ("01" is the two tokens 0 and 1, as DynamoDB
 * reports it); #name and :value need at least one [A-Za-z0-9_] character; anything else is a
 * single-character token the parser rejects ("_a" is "_" then "a"). It never fails on input.
 * Entry point: expr__lex. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum_(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == '_';
}

static enum tok_kind keyword(const char *s, size_t len)
{
    static const struct {
        const char *word;
        enum tok_kind kind;
    } words[] = {
        {"AND", TK_AND}, {"OR", TK_OR},         {"NOT", TK_NOT}, {"BETWEEN", TK_BETWEEN},
        {"IN", TK_IN},   {"SET", TK_SET},       {"REMOVE", TK_REMOVE}, {"ADD", TK_ADD},
        {"DELETE", TK_DELETE},
    };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strlen(words[k].word) == len && strncasecmp(words[k].word, s, len) == 0)
            return words[k].kind;
    return TK_ID;
}

/* Length of the UTF-8 sequence at s (1 for a stray or truncated byte), so that an unknown
 * character such as "é" is one token and the message quotes it whole. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    size_t n;
    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0)
        n = 2;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4;
    else
        return 1;
    if (n > avail)
        return 1;
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 1;
    return n;
}

int expr__lex(const char *text, size_t len, struct token **toks, size_t *ntoks, struct err *err)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t cap = 16, n = 0, i = 0;
    struct token *t = malloc(cap * sizeof *t);

    if (t == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            i++;
        if (n + 1 >= cap) {
            struct token *bigger = realloc(t, cap * 2 * sizeof *t);
            if (bigger == NULL) {
                free(t);
                return err_set(err, ERR_INTERNAL, "out of memory");
            }
            t = bigger;
            cap *= 2;
        }
        struct token *tok = &t[n++];
        tok->start = (uint32_t)i;
        if (i >= len) {
            tok->kind = TK_EOF;
            tok->len = 0;
            break;
        }
        size_t j = i + 1;
        unsigned char c = s[i];
        if (is_alpha(c)) {
            while (j < len && is_alnum_(s[j]))
                j++;
            tok->kind = keyword(text + i, j - i);
        } else if (is_digit(c)) {
            if (c != '0')
                while (j < len && is_digit(s[j]))
                    j++;
            tok->kind = TK_INDEX;
        } else if ((c == '#' || c == ':') && j < len && is_alnum_(s[j])) {
            while (j < len && is_alnum_(s[j]))
                j++;
            tok->kind = c == '#' ? TK_NAMEREF : TK_VALREF;
        } else {
            switch (c) {
            case '=': tok->kind = TK_EQ; break;
            case '<':
                if (j < len && s[j] == '>') {
                    tok->kind = TK_NE;
                    j++;
                } else if (j < len && s[j] == '=') {
                    tok->kind = TK_LE;
                    j++;
                } else {
                    tok->kind = TK_LT;
                }
                break;
            case '>':
                if (j < len && s[j] == '=') {
                    tok->kind = TK_GE;
                    j++;
                } else {
                    tok->kind = TK_GT;
                }
                break;
            case '+': tok->kind = TK_PLUS; break;
            case '-': tok->kind = TK_MINUS; break;
            case '(': tok->kind = TK_LPAREN; break;
            case ')': tok->kind = TK_RPAREN; break;
            case '[': tok->kind = TK_LBRACKET; break;
            case ']': tok->kind = TK_RBRACKET; break;
            case ',': tok->kind = TK_COMMA; break;
            case '.': tok->kind = TK_DOT; break;
            default:
                tok->kind = TK_UNKNOWN;
                j = i + utf8_len(s + i, len - i);
                break;
            }
        }
        tok->len = (uint32_t)(j - i);
        i = j;
    }
    *toks = t;
    *ntoks = n;
    return 0;
}
