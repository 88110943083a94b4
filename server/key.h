/* key.h — the primary key of an item as the store indexes it: extracted from an Item (PutItem) or
 * a Key parameter (GetItem, DeleteItem, ...) against the table's key schema, validated with
 * DynamoDB's messages, and encoded with keycodec (N order-preserving, S as UTF-8 bytes, B decoded). */
#ifndef DYNASTREAM_KEY_H
#define DYNASTREAM_KEY_H

#include <jansson.h>

#include "errors.h"
#include "keycodec.h"
#include "store.h"
#include "table.h"

struct item_key {
    struct store_key key;                 /* points into the buffers below or into the JSON */
    uint8_t hk_num[KEYCODEC_NUM_MAX];     /* encoded N partition key */
    uint8_t rk_num[KEYCODEC_NUM_MAX];     /* encoded N sort key */
    uint8_t *hk_owned;                    /* decoded B partition key (malloc'd) */
    uint8_t *rk_owned;                    /* decoded B sort key (malloc'd) */
};

/* From a full item (PutItem): the key attributes must be present with the schema's types.
 * Errors: "One or more parameter values were invalid: Missing the key K in the item",
 * "One or more parameter values were invalid: Type mismatch for key K expected: S actual: N",
 * empty string/binary key values, key sizes over 2048/1024 bytes.
 * Borrows item: *out points into it and must not outlive it. Release with item_key_free. */
int key_from_item(const struct table *table, const json_t *item, struct item_key *out,
                  struct err *err);

/* From a Key parameter: exactly the key attributes, else "The provided key element does not match
 * the schema". Other errors as key_from_item. Borrows key. */
int key_from_key(const struct table *table, const json_t *key, struct item_key *out,
                 struct err *err);

/* The key of item in index ix: *present = 0 when the item lacks an index key attribute (sparse
 * indexes), else the encoded key. Errors when an index key attribute has the wrong type ("Type
 * mismatch for Index Key ...") or is empty. Borrows item. Release with item_key_free. */
int key_from_index(const struct table_index *ix, const json_t *item, struct item_key *out,
                   int *present, struct err *err);

/* One encoded key value (a key condition's operand). */
struct key_bytes {
    const uint8_t *bytes;                 /* into the JSON, num, or owned */
    size_t len;
    uint8_t num[KEYCODEC_NUM_MAX];
    uint8_t *owned;
};

/* Encodes av (of attr's type) as key bytes, with the key value checks (empty, size). Borrows av.
 * Release with key_bytes_free. */
int key_encode_value(const struct key_attr *attr, const json_t *av, struct key_bytes *out,
                     struct err *err);
void key_bytes_free(struct key_bytes *k);

/* Frees the decoded binaries. NULL-safe, idempotent. */
void item_key_free(struct item_key *k);

/* A new object holding only the key attributes of item (for LastEvaluatedKey, stream Keys). */
json_t *key_project(const struct table *table, const json_t *item);

#endif
