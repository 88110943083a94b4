/* value.c — the AttributeValue model on jansson values: wire-type checks (SerializationException,
 * as DynamoDB's deserializer reports them) and semantic checks (ValidationException, in the order
 * DynamoDB Local reports them, with real DynamoDB's current words), the canonical stored form,
 * item size, equality and ordering, and base64. It does not know tables or keys: key schema checks
 * and the 400 KB limit are key.c's and the ops'.
 * Entry points: value_validate(_item)(_wire), value_canonical(_item), value_size,
 * value_item_size, value_equal, value_compare, value_base64_decode/encode.
 * Developer guide: "Supported data types and naming rules", "Item sizes and formats". */
#include "value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- messages -------------------- */

/* ValidationException texts. Real DynamoDB's current words (nubo-db/dynamodb-conformance captures
 * 2026-06-09, cross-region-latest and 2026-08-12-wording-drift: every region that moved since
 * wraps these request-validation messages in the envelope VALUE_MSG_ENVELOPE, renders duplicate
 * SS members JSON-quoted and ends the duplicate messages with a period; nubo-db's tier3 value-layer
 * test, captured 2026-10-09 in eu-west-2, us-east-1, eu-west-1 and us-west-2, for the current
 * layer PutItem/UpdateItem/DeleteItem run: the NS duplicate sentence and the member order of
 * SS/BS ones); the wording under the envelope is dynalite's, recorded against AWS. */
#define MSG_EMPTY_AV \
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
#define MSG_MULTIPLE_TYPES \
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the " \
    "supported datatypes"
#define MSG_INVALID "One or more parameter values were invalid: "
#define MSG_SS_EMPTY MSG_INVALID "An string set  may not be empty"  /* sic: two spaces */
#define MSG_NS_EMPTY MSG_INVALID "An number set  may not be empty"
#define MSG_BS_EMPTY MSG_INVALID "Binary sets should not be empty"
/* 2026-08-12 us-east-1: Input collection ["a", "a"] contains duplicates. */
#define MSG_SS_DUP_FMT MSG_INVALID "Input collection %s contains duplicates."
/* nubo-db tier3 value layer, 2026-10-09, four regions: the current layer's DUPE_CURRENT for NS
 * ['2', '1', '2'] is `${INVALID}Input collection contains duplicates.` (the older layer of
 * BatchWriteItem and, outside eu-west-2, the transactions says "Input collection contains
 * duplicates", no prefix, no full stop). */
#define MSG_NS_DUP MSG_INVALID "Input collection contains duplicates."
/* 2026-08-12 us-east-1: Input collection ["",""]of type BS contains duplicates. (sic: no space) */
#define MSG_BS_DUP_FMT MSG_INVALID "Input collection %sof type BS contains duplicates."
#define MSG_SS_NULL_MEMBER MSG_INVALID "An string set may not have a null string as a member"
#define MSG_NESTING \
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels " \
    "beyond supported limit"
#define MSG_EMPTY_NAME "Empty attribute name"
#define MSG_NULL_AV "The supplied Item contains a null AttributeValue"
/* {"NULL": false} is refused again everywhere: nubo-db tier3/error-messages/putItem.test.ts
 * "rejects a { NULL: false } attribute value with a ValidationException" ("eu-west-2 and
 * eu-central-1 briefly accepted it ... but by the 2026-07-17 ground-truth sweep both had reverted
 * and every region rejects again"); captures/README.md, 2026-07-21-null-false-envelope.json: the
 * text is this one, with the envelope in six regions (eu-west-2, eu-central-1, ...) and bare in
 * 27, the prefix "still rolling out region by region" - the newest form, enveloped, is given. */
#define MSG_NULL_FALSE MSG_INVALID "Null attribute value types must have the value of true"

/* SerializationException texts (body key "Message"), from dynalite's checkTypes, which mirrors
 * the Java deserializer of real DynamoDB. DynamoDB Local does not check wire types: it coerces
 * {"S": 5} and {"BOOL": 1} and answers {"B": "not base64"} or {"S": []} with a 500. */
#define SER_NOT_STRUCT "Start of structure or map found where not expected"
#define SER_FIELD_TYPE "Unexpected field type"
#define SER_VALUE_TYPE "Unexpected value type in payload"
#define SER_AV_COLLECTION \
    "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"
#define SER_MAP_COLLECTION \
    "Unrecognized collection type java.util.Map<java.lang.String, " \
    "com.amazonaws.dynamodb.v20120810.AttributeValue>"
#define SER_BLOB_SCALAR "only base-64-encoded strings are convertible to bytes"
#define SER_BLOB_LENGTH "Base64 encoded length is expected a multiple of 4 bytes but found: %zu"
#define SER_BLOB_INVALID "Invalid last non-pad Base64 character dectected"  /* sic */
#define SER_BOOL_TOKEN "Unexpected token received from parser"

/* ---------------------------------------------------------------- types ----------------------- */

static const char *const type_names[] = {
    [AV_INVALID] = "", [AV_S] = "S",   [AV_N] = "N", [AV_B] = "B",       [AV_SS] = "SS",
    [AV_NS] = "NS",    [AV_BS] = "BS", [AV_M] = "M", [AV_L] = "L",       [AV_NULL] = "NULL",
    [AV_BOOL] = "BOOL",
};
#define AV_TYPE_COUNT ((int)(sizeof type_names / sizeof type_names[0]))

const char *value_type_name(enum av_type t)
{
    return (t > AV_INVALID && (int)t < AV_TYPE_COUNT) ? type_names[t] : "";
}

enum av_type value_type_from_name(const char *name)
{
    if (name == NULL)
        return AV_INVALID;
    for (int t = AV_INVALID + 1; t < AV_TYPE_COUNT; t++)
        if (strcmp(type_names[t], name) == 0)
            return (enum av_type)t;
    return AV_INVALID;
}

/* The one non-null type member of av and its type; AV_INVALID if none or several. Unknown members
 * are ignored, as DynamoDB ignores them ({"S": "a", "FOO": 1} is an S). */
static enum av_type type_and_member(const json_t *av, json_t **member)
{
    enum av_type found = AV_INVALID;
    const char *key;
    json_t *v;

    *member = NULL;
    if (!json_is_object(av))
        return AV_INVALID;
    json_object_foreach((json_t *)av, key, v) {
        enum av_type t = value_type_from_name(key);
        if (t == AV_INVALID || json_is_null(v))
            continue;
        if (found != AV_INVALID)
            return AV_INVALID;
        found = t;
        *member = v;
    }
    return found;
}

enum av_type value_type(const json_t *av)
{
    json_t *member;
    return type_and_member(av, &member);
}

/* The member of type t, or NULL when absent or JSON null (null members count as absent). */
static json_t *member_of(const json_t *av, enum av_type t)
{
    json_t *v = json_object_get(av, type_names[t]);
    return json_is_null(v) ? NULL : v;
}

/* A BOOL or NULL member as DynamoDB's deserializer reads it: JSON true/false, or the strings
 * true/1/yes and false/0/no in any case. Returns 1, 0, or -1 if it is neither. */
static int bool_of(const json_t *v)
{
    static const char *const yes[] = {"true", "1", "yes"}, *const no[] = {"false", "0", "no"};

    if (json_is_boolean(v))
        return json_is_true(v);
    if (!json_is_string(v))
        return -1;
    for (size_t k = 0; k < 3; k++) {
        if (strcasecmp(json_string_value(v), yes[k]) == 0)
            return 1;
        if (strcasecmp(json_string_value(v), no[k]) == 0)
            return 0;
    }
    return -1;
}

/* ---------------------------------------------------------------- base64 ---------------------- */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_index(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int value_base64_decode(const char *s, size_t slen, uint8_t **out, size_t *len)
{
    size_t pad = 0, n = 0;
    uint8_t *buf;

    if (slen % 4 != 0)
        return -1;
    if (slen > 0 && s[slen - 1] == '=')
        pad = (s[slen - 2] == '=') ? 2 : 1;
    buf = malloc(slen / 4 * 3 + 1);
    if (buf == NULL)
        return -1;
    for (size_t i = 0; i < slen; i += 4) {
        int q[4];
        size_t groupdata = (i + 4 == slen) ? 4 - pad : 4;  /* meaningful chars in this group */
        for (size_t k = 0; k < 4; k++) {
            q[k] = k < groupdata ? b64_index((unsigned char)s[i + k]) : 0;
            if (q[k] < 0)
                goto bad;
        }
        uint32_t bits = (uint32_t)q[0] << 18 | (uint32_t)q[1] << 12 | (uint32_t)q[2] << 6 |
                        (uint32_t)q[3];
        buf[n++] = (uint8_t)(bits >> 16);
        if (groupdata >= 3)
            buf[n++] = (uint8_t)(bits >> 8);
        if (groupdata == 4)
            buf[n++] = (uint8_t)bits;
        /* canonical only: the bits below the last whole byte must be zero ("AR==" is not) */
        if ((groupdata == 2 && (q[1] & 0x0f) != 0) || (groupdata == 3 && (q[2] & 0x03) != 0))
            goto bad;
    }
    *out = buf;
    *len = n;
    return 0;
bad:
    free(buf);
    return -1;
}

char *value_base64_encode(const uint8_t *bytes, size_t len)
{
    char *out = malloc((len + 2) / 3 * 4 + 1), *p = out;

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t bits = (uint32_t)bytes[i] << 16;
        if (i + 1 < len)
            bits |= (uint32_t)bytes[i + 1] << 8;
        if (i + 2 < len)
            bits |= bytes[i + 2];
        *p++ = b64_alphabet[bits >> 18 & 63];
        *p++ = b64_alphabet[bits >> 12 & 63];
        *p++ = i + 1 < len ? b64_alphabet[bits >> 6 & 63] : '=';
        *p++ = i + 2 < len ? b64_alphabet[bits & 63] : '=';
    }
    *p = '\0';
    return out;
}

/* Decoded length of a canonical base64 string, without decoding it. */
static size_t b64_decoded_len(const char *s, size_t slen)
{
    size_t n = slen / 4 * 3;
    if (slen >= 4 && s[slen - 1] == '=')
        n -= (s[slen - 2] == '=') ? 2 : 1;
    return n;
}

/* ---------------------------------------------------------------- wire types ------------------ */

/* Records a SerializationException with DynamoDB's capitalised "Message" body key. */
__attribute__((format(printf, 2, 3)))
static int ser_error(struct err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err_isset(err))
        return -1;
    va_start(ap, fmt);
    err_setv(err, ERR_SERIALIZATION, fmt, ap);
    va_end(ap);
    err->capital_message = 1;
    return -1;
}

/* Jackson's name for a scalar token, used in "X cannot be converted to String". */
static const char *token_name(const json_t *v)
{
    if (json_is_true(v))
        return "TRUE_VALUE";
    if (json_is_false(v))
        return "FALSE_VALUE";
    if (json_is_integer(v))
        return "NUMBER_VALUE";
    if (json_is_real(v))
        return "DECIMAL_VALUE";
    return "STRING_VALUE";
}

/* A String field (S, N, members of SS and NS). JSON null is checked by the caller. */
static int wire_string(const json_t *v, struct err *err)
{
    if (json_is_string(v) || json_is_null(v))
        return 0;
    if (json_is_array(v))
        return ser_error(err, "Unrecognized collection type class java.lang.String");
    if (json_is_object(v))
        return ser_error(err, SER_NOT_STRUCT);
    return ser_error(err, "%s cannot be converted to String", token_name(v));
}

/* Length in UTF-16 code units, as Java (and dynalite's JavaScript) count a string. */
static size_t utf16_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if ((c & 0xc0) != 0x80)
            n += c >= 0xf0 ? 2 : 1;
    }
    return n;
}

/* A Blob field (B, members of BS): a canonical standard base64 string. */
static int wire_blob(const json_t *v, struct err *err)
{
    uint8_t *bytes;
    size_t n;

    if (json_is_null(v))
        return 0;
    if (json_is_boolean(v) || json_is_number(v))
        return ser_error(err, SER_BLOB_SCALAR);
    if (json_is_array(v))
        return ser_error(err, "Unrecognized collection type class java.nio.ByteBuffer");
    if (json_is_object(v))
        return ser_error(err, SER_NOT_STRUCT);
    const char *s = json_string_value(v);
    size_t slen = json_string_length(v);
    if (utf16_length(s, slen) % 4 != 0)
        return ser_error(err, SER_BLOB_LENGTH, utf16_length(s, slen));
    if (value_base64_decode(s, slen, &bytes, &n) != 0)
        return ser_error(err, SER_BLOB_INVALID);
    free(bytes);
    return 0;
}

/* A Boolean field (BOOL, NULL). */
static int wire_boolean(const json_t *v, struct err *err)
{
    if (json_is_null(v) || json_is_boolean(v))
        return 0;
    if (json_is_number(v))
        return ser_error(err, "%s cannot be converted to Boolean", token_name(v));
    if (json_is_string(v))
        return bool_of(v) < 0 ? ser_error(err, SER_BOOL_TOKEN) : 0;
    if (json_is_array(v))
        return ser_error(err, "Unrecognized collection type class java.lang.Boolean");
    return ser_error(err, SER_NOT_STRUCT);
}

/* A List field (SS, NS, BS, L) must be a JSON array. */
static int wire_list(const json_t *v, struct err *err)
{
    if (json_is_array(v))
        return 0;
    if (json_is_object(v))
        return ser_error(err, SER_NOT_STRUCT);
    return ser_error(err, SER_FIELD_TYPE);
}

static int wire_value(const json_t *av, struct err *err);

/* A Map<AttributeValue> field (M, and an item) must be a JSON object of AttributeValues. */
static int wire_map(const json_t *v, struct err *err)
{
    const char *key;
    json_t *child;

    if (json_is_array(v))
        return ser_error(err, SER_MAP_COLLECTION);
    if (!json_is_object(v))
        return ser_error(err, SER_FIELD_TYPE);
    json_object_foreach((json_t *)v, key, child)
        if (wire_value(child, err) != 0)
            return -1;
    return 0;
}

/* One AttributeValue position (item value, M value, L element): a JSON object whose known
 * members have the right JSON types, checked in document order like a streaming deserializer. */
static int wire_value(const json_t *av, struct err *err)
{
    const char *key;
    json_t *v;
    size_t k;

    if (av == NULL || json_is_null(av))
        return 0;  /* reported by the semantic pass, which knows the attribute name */
    if (json_is_array(av))
        return ser_error(err, SER_AV_COLLECTION);
    if (!json_is_object(av))
        return ser_error(err, SER_VALUE_TYPE);
    json_object_foreach((json_t *)av, key, v) {
        json_t *el;
        int rc = 0;
        switch (value_type_from_name(key)) {
        case AV_S:
        case AV_N:
            rc = wire_string(v, err);
            break;
        case AV_B:
            rc = wire_blob(v, err);
            break;
        case AV_BOOL:
        case AV_NULL:
            rc = wire_boolean(v, err);
            break;
        case AV_SS:
        case AV_NS:
        case AV_BS:
            if (json_is_null(v))
                break;
            if ((rc = wire_list(v, err)) != 0)
                break;
            json_array_foreach(v, k, el) {
                rc = key[0] == 'B' ? wire_blob(el, err) : wire_string(el, err);
                if (rc != 0)
                    break;
            }
            break;
        case AV_L:
            if (json_is_null(v))
                break;
            if ((rc = wire_list(v, err)) != 0)
                break;
            json_array_foreach(v, k, el)
                if ((rc = wire_value(el, err)) != 0)
                    break;
            break;
        case AV_M:
            if (!json_is_null(v))
                rc = wire_map(v, err);
            break;
        case AV_INVALID:
            break;  /* unknown members are ignored */
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- set members ----------------- */

/* A set member as bytes (S as UTF-8, B decoded); p == NULL for a JSON null member. */
struct bytes_member {
    const uint8_t *p;
    size_t len;
};

static int compare_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (alen > blen) - (alen < blen);
}

static int compare_bytes_member(const void *x, const void *y)
{
    const struct bytes_member *a = x, *b = y;
    if (a->p == NULL || b->p == NULL)
        return (a->p != NULL) - (b->p != NULL);  /* nulls first, equal to each other */
    return compare_bytes(a->p, a->len, b->p, b->len);
}

static int compare_num_member(const void *x, const void *y)
{
    return num_compare(x, y);
}

/* Fills m[] with the string members of an SS (JSON null members as p == NULL). */
static void string_members(const json_t *arr, struct bytes_member *m)
{
    size_t k;
    json_t *el;
    json_array_foreach(arr, k, el) {
        m[k].p = json_is_string(el) ? (const uint8_t *)json_string_value(el) : NULL;
        m[k].len = json_is_string(el) ? json_string_length(el) : 0;
    }
}

/* Non-zero when the n sorted members hold two equal neighbours. */
static int has_adjacent_equal(const void *base, size_t n, size_t size,
                              int (*cmp)(const void *, const void *))
{
    for (size_t k = 1; k < n; k++)
        if (cmp((const char *)base + (k - 1) * size, (const char *)base + k * size) == 0)
            return 1;
    return 0;
}

/* A set member and its position in the request, for finding the first repeat. */
struct placed_member {
    struct bytes_member m;
    int is_null;
    size_t index;
};

/* Byte order (unsigned), JSON null members first; equal members by position. */
static int compare_placed(const void *x, const void *y)
{
    const struct placed_member *a = x, *b = y;
    int c;
    if (a->is_null || b->is_null)
        c = b->is_null - a->is_null;
    else
        c = compare_bytes(a->m.p, a->m.len, b->m.p, b->m.len);
    if (c != 0)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

static int same_member(const struct placed_member *a, const struct placed_member *b)
{
    if (a->is_null || b->is_null)
        return a->is_null && b->is_null;
    return compare_bytes(a->m.p, a->m.len, b->m.p, b->m.len) == 0;
}

/* The set's members in the order DynamoDB lists them in its duplicate message, as a JSON list whose
 * members are joined by sep; SS uses ", " (["a", "a"]), BS "," over the base64 text (["",""],
 * captures 2026-08-12). nubo-db's tier3 value-layer test (2026-10-09, four regions, current
 * layer): "The current layer quotes the members and lists them in byte order up to the first
 * repeat, then the repeat, then the rest as sent": SS b, a, b is ["a", "b", "b"], BS /w==, AA==,
 * AA== is ["AA==","/w==","AA=="] (so BS members are ordered by their decoded bytes, unsigned).
 * first_repeat is the position of the first member equal to an earlier one. New string, NULL on
 * OOM. */
static char *duplicate_list_string(const json_t *arr, const struct placed_member *sorted, size_t n,
                                   size_t first_repeat, const char *sep)
{
    char *text = NULL;
    size_t len = 0, printed = 0;
    FILE *out = open_memstream(&text, &len);

    if (out == NULL)
        return NULL;
    fputc('[', out);
    for (size_t k = 0; k < n + (n - first_repeat); k++) {
        size_t index;
        if (k < n) {  /* the members before the repeat, in byte order */
            if (sorted[k].index >= first_repeat)
                continue;
            index = sorted[k].index;
        } else {  /* the repeat, then the rest as sent */
            index = first_repeat + (k - n);
        }
        char *member = json_dumps(json_array_get(arr, index), JSON_ENCODE_ANY);
        fprintf(out, "%s%s", printed++ > 0 ? sep : "", member != NULL ? member : "null");
        free(member);
    }
    fputc(']', out);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Looks for equal members in an SS (binary == 0: compared as UTF-8 bytes) or a BS (compared as
 * decoded bytes); JSON null members count as equal to each other. Returns 0 when all are
 * distinct, 1 with *list set to the rendering above (a new string), -1 when out of memory. */
static int find_duplicates(const json_t *arr, int binary, const char *sep, char **list)
{
    size_t n = json_array_size(arr), k, first_repeat = n;
    struct placed_member *m = calloc(n, sizeof *m);
    json_t *el;
    int rc = -1;

    *list = NULL;
    if (m == NULL)
        return -1;
    json_array_foreach(arr, k, el) {
        m[k].index = k;
        m[k].is_null = !json_is_string(el);
        if (m[k].is_null)
            continue;
        if (!binary) {
            m[k].m.p = (const uint8_t *)json_string_value(el);
            m[k].m.len = json_string_length(el);
        } else {
            uint8_t *bytes = NULL;
            if (value_base64_decode(json_string_value(el), json_string_length(el), &bytes,
                                    &m[k].m.len) != 0)
                goto out;  /* canonical after the wire check: only OOM fails here */
            m[k].m.p = bytes;
        }
    }
    qsort(m, n, sizeof *m, compare_placed);
    /* Equal members sit together, by position: the second of each run is that value's first
     * repeat, and the earliest of those is the set's. */
    for (k = 1; k < n; k++)
        if (same_member(&m[k - 1], &m[k]) && (k == 1 || !same_member(&m[k - 2], &m[k - 1])) &&
            m[k].index < first_repeat)
            first_repeat = m[k].index;
    rc = 0;
    if (first_repeat < n) {
        *list = duplicate_list_string(arr, m, n, first_repeat, sep);
        rc = *list != NULL ? 1 : -1;
    }
out:
    if (binary)
        for (k = 0; k < n; k++)
            if (!m[k].is_null)
                free((void *)m[k].m.p);
    free(m);
    return rc;
}

/* ---------------------------------------------------------------- semantic checks ------------- */

static int oom(struct err *err)
{
    return err_set(err, ERR_INTERNAL, "out of memory");
}

/* Records a ValidationException in DynamoDB's request-validation envelope (VALUE_MSG_ENVELOPE). */
__attribute__((format(printf, 2, 3)))
static int invalid(struct err *err, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    int n;

    if (err == NULL || err_isset(err))
        return -1;
    va_start(ap, fmt);
    n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return oom(err);
    err_set(err, ERR_VALIDATION, VALUE_MSG_ENVELOPE "%s", text);
    free(text);
    return -1;
}

/* A number error from num_parse, re-raised in the envelope. */
static int number_error(const struct err *parse_err, struct err *err)
{
    if (parse_err->code != ERR_VALIDATION)
        return err_set(err, parse_err->code, "%s", parse_err->message ? parse_err->message : "");
    return invalid(err, "%s", parse_err->message ? parse_err->message : "");
}

static int check_ss(const json_t *arr, struct err *err)
{
    size_t k;
    json_t *el;
    char *list;
    int dup;

    if (json_array_size(arr) == 0)
        return invalid(err, MSG_SS_EMPTY);
    dup = find_duplicates(arr, 0, ", ", &list);
    if (dup < 0)
        return oom(err);
    if (dup) {  /* duplicates are reported before null members: [a, a, null] is a duplicate */
        invalid(err, MSG_SS_DUP_FMT, list);
        free(list);
        return -1;
    }
    json_array_foreach(arr, k, el)
        if (json_is_null(el))
            return invalid(err, MSG_SS_NULL_MEMBER);
    return 0;
}

/* NS members are parsed in order and each compared with those before it, so the first problem in
 * input order wins: ["1", "1", "x"] is a duplicate, ["1", "x", "1"] not a number. */
static int check_ns(const json_t *arr, struct err *err)
{
    size_t n = json_array_size(arr), good = 0;
    struct num *nums;
    struct err parse_err = ERR_INIT;
    int rc = 0;

    if (n == 0)
        return invalid(err, MSG_NS_EMPTY);
    if ((nums = calloc(n, sizeof *nums)) == NULL)
        return oom(err);
    for (; good < n; good++) {
        const json_t *el = json_array_get(arr, good);
        if (!json_is_string(el)) {  /* null member: dynalite's "falsy value" message */
            err_set(&parse_err, ERR_VALIDATION, NUM_MSG_NOT_A_NUMBER);
            break;
        }
        if (num_parse(json_string_value(el), json_string_length(el), &nums[good], &parse_err) != 0)
            break;
    }
    qsort(nums, good, sizeof *nums, compare_num_member);
    if (has_adjacent_equal(nums, good, sizeof *nums, compare_num_member))
        rc = invalid(err, MSG_NS_DUP);
    else if (err_isset(&parse_err))
        rc = number_error(&parse_err, err);
    err_clear(&parse_err);
    free(nums);
    return rc;
}

static int check_bs(const json_t *arr, struct err *err)
{
    size_t k;
    json_t *el;
    char *list;
    int dup;

    if (json_array_size(arr) == 0)
        return invalid(err, MSG_BS_EMPTY);
    dup = find_duplicates(arr, 1, ",", &list);
    if (dup < 0)
        return oom(err);
    if (dup) {
        invalid(err, MSG_BS_DUP_FMT, list);
        free(list);
        return -1;
    }
    /* DynamoDB Local answers a null BS member with a 500; we use its null-value message. */
    json_array_foreach(arr, k, el)
        if (json_is_null(el))
            return invalid(err, MSG_NULL_AV);
    return 0;
}

static int check_value(const json_t *av, int level, struct err *err);

/* The entries of an item or an M: per entry the value first, then its name (DynamoDB Local:
 * {"": {"N": "x"}} is the number error, {"": {"S": "x"}, "z": {"N": "x"}} "Empty attribute
 * name"). Entry values are at `level`. */
static int check_map_entries(const json_t *map, int level, struct err *err)
{
    const char *name;
    size_t name_len;
    json_t *v;

    json_object_keylen_foreach((json_t *)map, name, name_len, v) {
        if (json_is_null(v))
            return invalid(err, MSG_NULL_AV ": %.*s is null", (int)name_len, name);
        if (check_value(v, level, err) != 0)
            return -1;
        if (name_len == 0)
            return invalid(err, MSG_EMPTY_NAME);
    }
    return 0;
}

/* One AttributeValue that passed the wire check. `level` counts the item as level 1, so a
 * top-level attribute's value is level 2; an M or L deeper than LIMIT_NESTING_DEPTH is refused
 * (DynamoDB Local: 31 nested M around an S is accepted, 32 are not). Checks run per type in the
 * order DynamoDB Local applies them whatever the member order (SS, N, NS, BS, M, L, NULL), and
 * "more than one datatypes" only after them all. */
static int check_value(const json_t *av, int level, struct err *err)
{
    json_t *v;
    int count = 0;

    if (av == NULL || json_is_null(av))
        return invalid(err, MSG_NULL_AV);
    for (int t = AV_INVALID + 1; t < AV_TYPE_COUNT; t++)
        count += member_of(av, (enum av_type)t) != NULL;
    if (count == 0)
        return invalid(err, MSG_EMPTY_AV);

    if ((v = member_of(av, AV_SS)) != NULL && check_ss(v, err) != 0)
        return -1;
    if ((v = member_of(av, AV_N)) != NULL) {
        struct num n;
        struct err parse_err = ERR_INIT;
        if (num_parse(json_string_value(v), json_string_length(v), &n, &parse_err) != 0) {
            number_error(&parse_err, err);
            err_clear(&parse_err);
            return -1;
        }
    }
    if ((v = member_of(av, AV_NS)) != NULL && check_ns(v, err) != 0)
        return -1;
    if ((v = member_of(av, AV_BS)) != NULL && check_bs(v, err) != 0)
        return -1;
    if ((v = member_of(av, AV_M)) != NULL) {
        if (level > LIMIT_NESTING_DEPTH)
            return invalid(err, MSG_NESTING);
        if (check_map_entries(v, level + 1, err) != 0)
            return -1;
    }
    if ((v = member_of(av, AV_L)) != NULL) {
        size_t k;
        json_t *el;
        if (level > LIMIT_NESTING_DEPTH)
            return invalid(err, MSG_NESTING);
        json_array_foreach(v, k, el)
            if (check_value(el, level + 1, err) != 0)
                return -1;
    }
    if ((v = member_of(av, AV_NULL)) != NULL && bool_of(v) != 1)
        return invalid(err, MSG_NULL_FALSE);
    if (count > 1)
        return invalid(err, MSG_MULTIPLE_TYPES);
    return 0;
}

int value_validate(const json_t *av, struct err *err)
{
    if (wire_value(av, err) != 0)
        return -1;
    return check_value(av, 2, err);
}

int value_validate_item(const json_t *item, struct err *err)
{
    if (value_validate_item_wire(item, err) != 0)
        return -1;
    if (item == NULL || json_is_null(item))
        return 0;
    return check_map_entries(item, 2, err);
}

int value_validate_item_bare(const json_t *item, struct err *err)
{
    struct err inner = ERR_INIT;

    if (value_validate_item(item, &inner) == 0)
        return 0;
    if (err == NULL || err_isset(err)) {
        err_clear(&inner);
        return -1;
    }
    if (inner.code == ERR_VALIDATION && inner.message != NULL) {
        err_set(err, inner.code, "%s", value_error_text(inner.message));
        err_clear(&inner);
        return -1;
    }
    *err = inner;  /* SerializationException (capital "Message"), out of memory: as they are */
    return -1;
}

int value_validate_wire(const json_t *av, struct err *err)
{
    return wire_value(av, err);
}

int value_validate_item_wire(const json_t *item, struct err *err)
{
    if (item == NULL || json_is_null(item))
        return 0;
    return wire_map(item, err);
}

/* ---------------------------------------------------------------- canonical form -------------- */

static json_t *canonical_number(const json_t *v)
{
    struct num n;
    char buf[NUM_STRING_MAX];

    if (!json_is_string(v) || num_parse(json_string_value(v), json_string_length(v), &n, NULL) != 0)
        return NULL;
    num_format(&n, buf);
    return json_string(buf);
}

static json_t *canonical_binary(const json_t *v)
{
    uint8_t *bytes;
    size_t n;
    char *text;
    json_t *out;

    if (!json_is_string(v) ||
        value_base64_decode(json_string_value(v), json_string_length(v), &bytes, &n) != 0)
        return NULL;
    text = value_base64_encode(bytes, n);
    free(bytes);
    out = text ? json_string(text) : NULL;
    free(text);
    return out;
}

/* Applies fn to each member of a set, in input order. New reference, NULL on failure. */
static json_t *canonical_set(const json_t *arr, json_t *(*fn)(const json_t *))
{
    json_t *out = json_array(), *el;
    size_t k;

    if (out == NULL)
        return NULL;
    json_array_foreach(arr, k, el) {
        json_t *c = fn(el);
        if (c == NULL || json_array_append_new(out, c) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

json_t *value_canonical(const json_t *av)
{
    json_t *member, *inner = NULL, *out;
    enum av_type t = type_and_member(av, &member);

    switch (t) {
    case AV_S:
    case AV_SS:
        inner = json_deep_copy(member);
        break;
    case AV_N:
        inner = canonical_number(member);
        break;
    case AV_NS:
        inner = canonical_set(member, canonical_number);
        break;
    case AV_B:
        inner = canonical_binary(member);
        break;
    case AV_BS:
        inner = canonical_set(member, canonical_binary);
        break;
    case AV_M:
        inner = value_canonical_item(member);
        break;
    case AV_L:
        inner = canonical_set(member, value_canonical);
        break;
    case AV_NULL:
        /* Always written as JSON true ("1", "yes" ... included). Validation refuses
         * {"NULL": false} again (MSG_NULL_FALSE), so only true gets here from a request. */
        if (bool_of(member) >= 0)
            inner = json_true();
        break;
    case AV_BOOL:
        if (bool_of(member) >= 0)
            inner = json_boolean(bool_of(member));  /* "yes" -> true, as the deserializer reads */
        break;
    case AV_INVALID:
        break;
    }
    if (inner == NULL)
        return NULL;
    out = json_object();
    if (out == NULL || json_object_set_new(out, type_names[t], inner) != 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

json_t *value_canonical_item(const json_t *item)
{
    const char *name;
    size_t name_len;
    json_t *v, *out = json_object();

    if (out == NULL || !json_is_object(item)) {
        json_decref(out);
        return NULL;
    }
    json_object_keylen_foreach((json_t *)item, name, name_len, v) {
        json_t *c = value_canonical(v);
        if (c == NULL || json_object_setn_new(out, name, name_len, c) != 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* ---------------------------------------------------------------- size ------------------------ */

static size_t number_size(const json_t *v)
{
    struct num n;
    if (!json_is_string(v) || num_parse(json_string_value(v), json_string_length(v), &n, NULL) != 0)
        return 0;
    return num_size(&n);
}

static size_t binary_size(const json_t *v)
{
    return json_is_string(v) ? b64_decoded_len(json_string_value(v), json_string_length(v)) : 0;
}

static size_t string_size(const json_t *v)
{
    return json_string_length(v);  /* UTF-8 bytes; 0 for a non-string */
}

static size_t set_size(const json_t *arr, size_t (*fn)(const json_t *))
{
    size_t k, sum = 0;
    json_t *el;
    json_array_foreach(arr, k, el)
        sum += fn(el);
    return sum;
}

/* dynalite's valSize, checked against DynamoDB Local's 400 KB limit: L is 3 + (1 + element) per
 * element, M is 3 + (1 + name + value) per entry, e.g. {"L": [{"S": "a"}, {"N": "1"}]} is 8. */
size_t value_size(const json_t *av)
{
    json_t *member;
    const char *name;
    size_t k, sum;
    json_t *el;

    switch (type_and_member(av, &member)) {
    case AV_S:
        return string_size(member);
    case AV_N:
        return number_size(member);
    case AV_B:
        return binary_size(member);
    case AV_SS:
        return set_size(member, string_size);
    case AV_NS:
        return set_size(member, number_size);
    case AV_BS:
        return set_size(member, binary_size);
    case AV_NULL:
    case AV_BOOL:
        return 1;
    case AV_L:
        sum = 3;
        json_array_foreach(member, k, el)
            sum += 1 + value_size(el);
        return sum;
    case AV_M:
        sum = 3;
        json_object_keylen_foreach(member, name, k, el)
            sum += 1 + k + value_size(el);
        return sum;
    case AV_INVALID:
        break;
    }
    return 0;
}

size_t value_item_size(const json_t *item)
{
    const char *name;
    size_t name_len, sum = 0;
    json_t *v;

    if (!json_is_object(item))
        return 0;
    json_object_keylen_foreach((json_t *)item, name, name_len, v)
        sum += name_len + value_size(v);
    return sum;
}

/* ---------------------------------------------------------------- equality and order ---------- */

/* Decodes every member of a BS; m[k].p are then owned (free with free_members). */
static int binary_members(const json_t *arr, struct bytes_member *m)
{
    size_t k;
    json_t *el;
    json_array_foreach(arr, k, el) {
        uint8_t *bytes = NULL;
        size_t n = 0;
        if (!json_is_string(el) ||
            value_base64_decode(json_string_value(el), json_string_length(el), &bytes, &n) != 0)
            return -1;
        m[k].p = bytes;
        m[k].len = n;
    }
    return 0;
}

static void free_members(struct bytes_member *m, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free((void *)m[k].p);
}

/* Sets are equal when they hold the same members in any order (members are distinct). */
static int set_equal(const json_t *a, const json_t *b, enum av_type t)
{
    size_t n = json_array_size(a), k;
    int equal = 0;

    if (n != json_array_size(b))
        return 0;
    if (t == AV_NS) {
        struct num *x = calloc(n + 1, sizeof *x), *y = calloc(n + 1, sizeof *y);
        if (x != NULL && y != NULL) {
            equal = 1;
            for (k = 0; k < n && equal; k++) {
                const json_t *ea = json_array_get(a, k), *eb = json_array_get(b, k);
                equal = json_is_string(ea) && json_is_string(eb) &&
                        num_parse(json_string_value(ea), json_string_length(ea), &x[k],
                                  NULL) == 0 &&
                        num_parse(json_string_value(eb), json_string_length(eb), &y[k],
                                  NULL) == 0;
            }
            if (equal) {
                qsort(x, n, sizeof *x, compare_num_member);
                qsort(y, n, sizeof *y, compare_num_member);
                for (k = 0; k < n && equal; k++)
                    equal = num_compare(&x[k], &y[k]) == 0;
            }
        }
        free(x);
        free(y);
        return equal;
    }
    struct bytes_member *x = calloc(n + 1, sizeof *x), *y = calloc(n + 1, sizeof *y);
    if (x != NULL && y != NULL) {
        if (t == AV_SS) {
            string_members(a, x);
            string_members(b, y);
            equal = 1;
        } else {
            equal = binary_members(a, x) == 0 && binary_members(b, y) == 0;
        }
        if (equal) {
            qsort(x, n, sizeof *x, compare_bytes_member);
            qsort(y, n, sizeof *y, compare_bytes_member);
            for (k = 0; k < n && equal; k++)
                equal = compare_bytes_member(&x[k], &y[k]) == 0;
        }
        if (t == AV_BS) {
            free_members(x, n);
            free_members(y, n);
        }
    }
    free(x);
    free(y);
    return equal;
}

int value_equal(const json_t *a, const json_t *b)
{
    json_t *ma, *mb;
    enum av_type t = type_and_member(a, &ma);
    const char *name;
    size_t k;
    json_t *el;

    if (t == AV_INVALID || t != type_and_member(b, &mb))
        return 0;
    switch (t) {
    case AV_S:
    case AV_N:
    case AV_B:
        return value_compare(a, b) == 0;
    case AV_SS:
    case AV_NS:
    case AV_BS:
        return set_equal(ma, mb, t);
    case AV_NULL:
        return 1;  /* any NULL equals any NULL */
    case AV_BOOL:
        return bool_of(ma) == bool_of(mb);
    case AV_L:
        if (json_array_size(ma) != json_array_size(mb))
            return 0;
        json_array_foreach(ma, k, el)
            if (!value_equal(el, json_array_get(mb, k)))
                return 0;
        return 1;
    case AV_M:
        if (json_object_size(ma) != json_object_size(mb))
            return 0;
        json_object_keylen_foreach(ma, name, k, el)
            if (!value_equal(el, json_object_getn(mb, name, k)))
                return 0;
        return 1;
    case AV_INVALID:
        break;
    }
    return 0;
}

/* S by UTF-8 bytes and B by decoded bytes, both unsigned (DynamoDB's key order); N numerically.
 * Values that do not parse compare equal: callers pass validated values. */
int value_compare(const json_t *a, const json_t *b)
{
    json_t *ma, *mb;
    enum av_type t = type_and_member(a, &ma);
    int c = 0;

    if (t != type_and_member(b, &mb) || !json_is_string(ma) || !json_is_string(mb))
        return 0;
    if (t == AV_S) {
        return compare_bytes((const uint8_t *)json_string_value(ma), json_string_length(ma),
                             (const uint8_t *)json_string_value(mb), json_string_length(mb));
    } else if (t == AV_N) {
        struct num x, y;
        if (num_parse(json_string_value(ma), json_string_length(ma), &x, NULL) == 0 &&
            num_parse(json_string_value(mb), json_string_length(mb), &y, NULL) == 0)
            c = num_compare(&x, &y);
    } else if (t == AV_B) {
        uint8_t *x = NULL, *y = NULL;
        size_t xl, yl;
        if (value_base64_decode(json_string_value(ma), json_string_length(ma), &x, &xl) == 0 &&
            value_base64_decode(json_string_value(mb), json_string_length(mb), &y, &yl) == 0)
            c = compare_bytes(x, xl, y, yl);
        free(x);
        free(y);
    }
    return c;
}
