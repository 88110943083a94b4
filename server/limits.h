/* limits.h — every DynamoDB limit and default dynastream enforces, in one place, each with where it
 * comes from (SQLite's sqliteLimit.h style). Sources: "Service, account, and table quotas in Amazon
 * DynamoDB" (developer guide) and the API reference of each operation. */
#ifndef DYNASTREAM_LIMITS_H
#define DYNASTREAM_LIMITS_H

/* HTTP request body: DynamoDB refuses bodies over 16 MiB (BatchWriteItem's documented maximum). */
#define LIMIT_REQUEST_BYTES (16u * 1024u * 1024u)

/* Item size: 400 KB including attribute names (developer guide, "Item size"). */
#define LIMIT_ITEM_BYTES (400u * 1024u)
/* Partition key value: 1..2048 bytes; sort key value: 1..1024 bytes. */
#define LIMIT_HASH_KEY_BYTES 2048u
#define LIMIT_RANGE_KEY_BYTES 1024u

/* Numbers: up to 38 significant digits, magnitude 1E-130 .. 9.99..9E+125 (data types page). */
#define LIMIT_NUMBER_DIGITS 38
#define LIMIT_NUMBER_MAX_EXP 126   /* largest |x| < 10^126 */
#define LIMIT_NUMBER_MIN_EXP (-129) /* smallest |x| >= 10^-130, i.e. 0.1 x 10^-129 */

/* Nesting depth of maps and lists: 32 levels. */
#define LIMIT_NESTING_DEPTH 32

/* Table and index names: 3..255 characters of [a-zA-Z0-9_.-]. */
#define LIMIT_TABLE_NAME_MIN 3
#define LIMIT_TABLE_NAME_MAX 255
/* TableName of the item operations (Get/Put/Update/DeleteItem, Query, Scan) is modelled 1..255:
 * "" is "length greater than or equal to 1", 'a'*256 "less than or equal to 255" (nubo-db captures
 * 2026-06-09 .. 2026-08-12, all regions); a 1- or 2-character name reaches the table lookup. */
#define LIMIT_ITEM_OP_TABLE_NAME_MIN 1
/* Attribute names: key attributes and names in expressions 1..255 bytes; others up to 64 KB. */
#define LIMIT_KEY_ATTR_NAME_MAX 255

/* Secondary indexes: 20 global, 5 local per table; 100 projected non-key attributes overall. */
#define LIMIT_GSI_PER_TABLE 20
#define LIMIT_LSI_PER_TABLE 5
#define LIMIT_PROJECTED_ATTRIBUTES 100
/* LSI item collection: 10 GB per partition key value. */
#define LIMIT_ITEM_COLLECTION_BYTES (10ull * 1024 * 1024 * 1024)

/* Tags: 50 per resource; key 1..128, value 0..256 characters. */
#define LIMIT_TAGS_PER_RESOURCE 50

/* ListTables: Limit 1..100 (default 100). */
#define LIMIT_LIST_TABLES_MAX 100

/* Query/Scan: 1 MB of data read per page (before filtering). */
#define LIMIT_PAGE_BYTES (1024u * 1024u)
/* Parallel scan: TotalSegments 1..1000000. */
#define LIMIT_TOTAL_SEGMENTS 1000000

/* Batches and transactions. */
#define LIMIT_BATCH_WRITE_ITEMS 25
#define LIMIT_BATCH_GET_KEYS 100
#define LIMIT_BATCH_GET_RESPONSE_BYTES (16u * 1024u * 1024u)
#define LIMIT_TRANSACT_ITEMS 100
/* Vector indexes: per table, and dimensions of a vector (2026 API, conformance captures) */
#define LIMIT_VECTOR_INDEXES 5
#define LIMIT_VECTOR_DIMENSIONS 4096
/* PartiQL: statement length, and statements per BatchExecuteStatement (API reference) */
#define LIMIT_PARTIQL_STATEMENT 8192
#define LIMIT_PARTIQL_BATCH 25
/* PartiQL: Queries one SELECT may decompose into (partition key IN [...]) */
#define LIMIT_PARTIQL_DECOMPOSED_READS 100
#define LIMIT_TRANSACT_BYTES (4u * 1024u * 1024u)
#define LIMIT_IDEMPOTENCY_SECONDS 600

/* Expressions: 4 KB per expression string; ExpressionAttributeNames/Values 80 KB together;
 * 300 operators or functions; IN up to 100 operands; placeholders 255 bytes. */
#define LIMIT_EXPRESSION_BYTES 4096u
#define LIMIT_EXPRESSION_PARAMS_BYTES (80u * 1024u)
#define LIMIT_EXPRESSION_OPERATORS 300
#define LIMIT_IN_OPERANDS 100

/* Capacity accounting: reads in 4 KB units, writes in 1 KB units. */
#define CAPACITY_READ_UNIT_BYTES 4096u
#define CAPACITY_WRITE_UNIT_BYTES 1024u

/* Streams: records kept 24 hours; GetRecords Limit 1..1000 and 1 MB; iterators live 15 minutes;
 * DynamoDB Streams allows at most 2 simultaneous readers per shard (not enforced locally). */
#define STREAM_RETENTION_SECONDS (24 * 3600)
#define STREAM_GET_RECORDS_MAX 1000
#define STREAM_GET_RECORDS_BYTES (1024u * 1024u)
#define STREAM_ITERATOR_SECONDS (15 * 60)
#define STREAM_SHARD_ROTATION_SECONDS (4 * 3600)

#endif
