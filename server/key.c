/* key.c — primary keys of items (see key.h). The checks run in DynamoDB's order: partition key
 * before sort key; presence, then type, then emptiness, then size. */
#include "key.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "number.h"
#include "value.h"

static const char MSG_SCHEMA_MISMATCH[] = "The provided key element does not match the schema";

/* Encodes one key attribute value (already known to have the schema's type). */
static int encode_part(const struct key_attr *attr, const json_t *av, uint8_t *num_buf,
                       uint8_t **owned, const uint8_t **bytes, size_t *len, size_t limit,
                       struct err *err)
{
    const json_t *v = json_object_get(av, value_type_name(attr->type));
    const char *s = json_string_value(v);
    size_t slen = json_string_length(v);

    switch (attr->type) {
    case AV_S:
        if (slen == 0)
            return err_set(err, ERR_VALIDATION, "One or more parameter values are not valid. The "
                           "AttributeValue for a key attribute cannot contain an empty string "
                           "value. Key: %s", attr->name);
        *bytes = (const uint8_t *)s;
        *len = slen;
        break;
    case AV_B:
        if (value_base64_decode(s, slen, owned, len) < 0)
            return err_set(err, ERR_SERIALIZATION, "Base64 encoded length is expected a multiple "
                           "of 4 bytes but found: %zu", slen);
        if (*len == 0)
            return err_set(err, ERR_VALIDATION, "One or more parameter values are not valid. The "
                           "AttributeValue for a key attribute cannot contain an empty binary "
                           "value. Key: %s", attr->name);
        *bytes = *owned;
        break;
    case AV_N: {
        struct num n;
        if (num_parse(s, slen, &n, err) < 0)
            return -1;
        *len = keycodec_encode_num(&n, num_buf);
        *bytes = num_buf;
        /* DynamoDB counts a number key's size as its stored size */
        if (num_size(&n) > limit)
            goto too_big;
        return 0;
    }
    default:
        return err_set(err, ERR_INTERNAL, "table key attribute %s has no valid type", attr->name);
    }
    if (*len > limit)
        goto too_big;
    return 0;

too_big:
    if (limit == LIMIT_HASH_KEY_BYTES)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Size of "
                       "hashkey has exceeded the maximum size limit of2048 bytes");
    return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Aggregated "
                   "size of all range keys has exceeded the size limit of 1024 bytes");
}

/* Encodes a key of schema (hash, range) from its attribute values; range may have no name. */
static int encode_key(const struct key_attr *hash, const struct key_attr *range, const json_t *hv,
                      const json_t *rv, struct item_key *out, struct err *err)
{
    if (encode_part(hash, hv, out->hk_num, &out->hk_owned, &out->key.hk, &out->key.hk_len,
                    LIMIT_HASH_KEY_BYTES, err) < 0)
        return -1;
    if (range->name != NULL) {
        if (encode_part(range, rv, out->rk_num, &out->rk_owned, &out->key.rk, &out->key.rk_len,
                        LIMIT_RANGE_KEY_BYTES, err) < 0)
            return -1;
    } else {
        out->key.rk = (const uint8_t *)"";
        out->key.rk_len = 0;
    }
    out->key.hash = keycodec_hash(out->key.hk, out->key.hk_len);
    return 0;
}

int key_from_item(const struct table *table, const json_t *item, struct item_key *out,
                  struct err *err)
{
    const struct key_attr *attrs[2] = {&table->hash, &table->range};
    const json_t *vals[2] = {NULL, NULL};

    memset(out, 0, sizeof *out);
    for (int i = 0; i < 2; i++) {
        enum av_type actual;
        if (attrs[i]->name == NULL)
            continue;
        vals[i] = json_object_get(item, attrs[i]->name);
        if (vals[i] == NULL)
            return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: "
                           "Missing the key %s in the item", attrs[i]->name);
        actual = value_type(vals[i]);
        if (actual != attrs[i]->type)
            return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Type "
                           "mismatch for key %s expected: %s actual: %s", attrs[i]->name,
                           value_type_name(attrs[i]->type), value_type_name(actual));
    }
    return encode_key(&table->hash, &table->range, vals[0], vals[1], out, err);
}

int key_from_key(const struct table *table, const json_t *key, struct item_key *out,
                 struct err *err)
{
    const json_t *hv, *rv = NULL;
    size_t expected = table->range.name != NULL ? 2 : 1;

    memset(out, 0, sizeof *out);
    hv = json_object_get(key, table->hash.name);
    if (table->range.name != NULL)
        rv = json_object_get(key, table->range.name);
    if (json_object_size(key) != expected || hv == NULL || (expected == 2 && rv == NULL) ||
        value_type(hv) != table->hash.type || (rv != NULL && value_type(rv) != table->range.type))
        return err_set(err, ERR_VALIDATION, "%s", MSG_SCHEMA_MISMATCH);
    return encode_key(&table->hash, &table->range, hv, rv, out, err);
}

void item_key_free(struct item_key *k)
{
    if (k == NULL)
        return;
    free(k->hk_owned);
    free(k->rk_owned);
    k->hk_owned = k->rk_owned = NULL;
}

json_t *key_project(const struct table *table, const json_t *item)
{
    json_t *key = json_object();
    json_object_set(key, table->hash.name, json_object_get(item, table->hash.name));
    if (table->range.name != NULL)
        json_object_set(key, table->range.name, json_object_get(item, table->range.name));
    return key;
}

/* ---- index keys ------------------------------------------------------------------------------ */

/* An index key attribute of an item: absent (the item is not in the index), or of the wrong type,
 * or empty (both refused, with the index named, as DynamoDB does). */
static int index_part(const struct table_index *ix, const struct key_attr *attr, const json_t *item,
                      const json_t **value, struct err *err)
{
    const json_t *v = json_object_get(item, attr->name);
    enum av_type actual;
    *value = v;
    if (v == NULL)
        return 0;
    actual = value_type(v);
    if (actual != attr->type)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Type "
                       "mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s",
                       attr->name, value_type_name(attr->type), value_type_name(actual), ix->name);
    if ((actual == AV_S || actual == AV_B) &&
        json_string_length(json_object_get(v, value_type_name(actual))) == 0)
        return err_set(err, ERR_VALIDATION, "One or more parameter values are not valid. A value "
                       "specified for a secondary index key is not supported. The AttributeValue "
                       "for a key attribute cannot contain an empty %s value. IndexName: %s, "
                       "IndexKey: %s", actual == AV_S ? "string" : "binary", ix->name, attr->name);
    return 0;
}

int key_from_index(const struct table_index *ix, const json_t *item, struct item_key *out,
                   int *present, struct err *err)
{
    const json_t *hv = NULL, *rv = NULL;

    memset(out, 0, sizeof *out);
    *present = 0;
    if (index_part(ix, &ix->hash, item, &hv, err) < 0 ||
        (ix->range.name != NULL && index_part(ix, &ix->range, item, &rv, err) < 0))
        return -1;
    if (hv == NULL || (ix->range.name != NULL && rv == NULL))
        return 0;
    if (encode_key(&ix->hash, &ix->range, hv, rv, out, err) < 0)
        return -1;
    *present = 1;
    return 0;
}

int key_encode_value(const struct key_attr *attr, const json_t *av, struct key_bytes *out,
                     struct err *err)
{
    memset(out, 0, sizeof *out);
    return encode_part(attr, av, out->num, &out->owned, &out->bytes, &out->len,
                       LIMIT_HASH_KEY_BYTES, err);
}

void key_bytes_free(struct key_bytes *k)
{
    if (k != NULL) {
        free(k->owned);
        k->owned = NULL;
    }
}
