/* batch.h — what the multi-item operations share: batch.c (BatchWriteItem, BatchGetItem) defines
 * these, transact.c (TransactWriteItems, TransactGetItems) uses them too. They check an item's
 * secondary-index keys in the order DynamoDB reports them, recognise DynamoDB's two families of
 * key-value messages, and build ItemCollectionMetrics entries. No I/O. */
#ifndef DYNASTREAM_BATCH_H
#define DYNASTREAM_BATCH_H

#include <jansson.h>
#include <stdint.h>

#include "errors.h"
#include "table.h"

/* Key-value errors come in two families. "One or more parameter values are not valid. ..."
 * (empty key values, also in indexes) is raised while the request is read, before anything runs:
 * TransactWriteItems reports it as a plain ValidationException. "One or more parameter values were
 * invalid: ..." (type mismatches, missing keys) is raised while an action runs: a transaction
 * reports it as a ValidationError cancellation reason. (nubo-db/dynamodb-conformance
 * tier3/error-messages/transactWriteItems, real AWS 2026-06-23.) */
#define BATCH_MSG_NOT_VALID "One or more parameter values are not valid."
#define BATCH_MSG_SCHEMA "The provided key element does not match the schema"

/* Validates the AttributeValues of an item or key map (borrowed) as value_validate_item does, but
 * reports them bare: BatchWriteItem, BatchGetItem, TransactWriteItems and TransactGetItems do not
 * put the "1 validation error detected: " envelope round them that PutItem does
 * (paritysuite dynamodb-conformance tier3/error-messages/valueLayers and
 * validation-ordering/transactions, four regions, 2026-10-09). Returns 0 or -1. */
int batch_validate_values(const json_t *item, struct err *err);

/* A put of a batch or a transaction: validates the item's values (bare), checks its size
 * ("Item size has exceeded the maximum allowed size"), and gives its canonical form (new
 * reference), that form's JSON text (malloc'd) and its size. Borrows item. */
int batch_prepare_put(const json_t *item, json_t **canonical, char **text, int64_t *size,
                      struct err *err);

/* Non-zero when err holds a ValidationException of the "are not valid" family (see above). */
int batch_err_is_request_level(const struct err *err);

/* Non-zero when item (borrowed) holds every key attribute of table with the schema's type: the
 * check that tells DynamoDB's "The provided key element does not match the schema" (batch writes)
 * and "Missing the key"/"Type mismatch for key" (transactions) apart from key value errors. */
int batch_item_has_key(const struct table *table, const json_t *item);

/* Checks the index key attributes of a new item (borrowed) against every secondary index of table,
 * indexes in name order (DynamoDB names the alphabetically first index whose key fails, e.g. gsi1
 * before lsi1; conformance tier3/error-messages/batchWriteItem). Errors (ValidationException):
 *   "One or more parameter values were invalid: Type mismatch for Index Key k Expected: S Actual: N
 *    IndexName: ix"
 *   an empty S/B index key value: for a put (from_update = 0)
 *   "One or more parameter values are not valid. A value specified for a secondary index key is not
 *    supported. The AttributeValue for a key attribute cannot contain an empty string value.
 *    IndexName: ix, IndexKey: k", for an update (from_update = 1)
 *   "One or more parameter values are not valid. The update expression attempted to update a
 *    secondary index key to a value that is not supported. The AttributeValue for a key attribute
 *    cannot contain an empty string value." ("binary" for B).
 * Returns 0 or -1. */
int batch_check_index_keys(const struct table *table, const json_t *item, int from_update,
                           struct err *err);

/* Appends to metrics (an object: table name -> list) the ItemCollectionMetrics entry of a write
 * of item (borrowed: the new item, or the old one for a delete) when table has local secondary
 * indexes: {"ItemCollectionKey": {hash: value}, "SizeEstimateRangeGB": [0.0, 1.0]} (the estimate
 * DynamoDB gives for collections under 1 GB). Nothing for other tables or a NULL item. */
void batch_collection_metrics_add(json_t *metrics, const struct table *table, const json_t *item);

#endif
