/* capacity.h — capacity units as DynamoDB computes them (developer guide, "Read/write capacity
 * mode"): reads in 4 KB units, halved for eventually consistent reads; writes in 1 KB units; at
 * least one unit per item touched, also when the item does not exist. And the ConsumedCapacity
 * object of ReturnConsumedCapacity TOTAL / INDEXES. */
#ifndef DYNASTREAM_CAPACITY_H
#define DYNASTREAM_CAPACITY_H

#include <jansson.h>
#include <stdint.h>

/* Units to read an item of `size` bytes (size <= 0: an absent item, one unit). */
double capacity_read_units(int64_t size, int consistent);
/* Units to write an item of `size` bytes (size <= 0: one unit). */
double capacity_write_units(int64_t size);

/* ConsumedCapacity for `mode` (the request's ReturnConsumedCapacity string, may be NULL):
 * NULL for NONE/absent, {"TableName", "CapacityUnits"} for TOTAL, plus "Table": {"CapacityUnits"}
 * for INDEXES. New reference. */
json_t *capacity_json(const char *mode, const char *table_name, double units);

struct table;

/* ConsumedCapacity of a write or read on a table with indexes: TOTAL adds the index units to the
 * table's; INDEXES itemises them ("Table", "GlobalSecondaryIndexes", "LocalSecondaryIndexes";
 * indexes that cost nothing are left out). index_units is per index in table->indexes order
 * (may be NULL). New reference, NULL for NONE/absent. */
json_t *capacity_json_indexes(const char *mode, const struct table *table, double table_units,
                              const double *index_units);

#endif
