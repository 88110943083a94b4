/* describe.h — the TableDescription of DescribeTable, CreateTable, UpdateTable and DeleteTable,
 * built from a table's stored definition plus its live status and statistics. */
#ifndef DYNASTREAM_DESCRIBE_H
#define DYNASTREAM_DESCRIBE_H

#include <jansson.h>

#include "table.h"

/* Returns a new reference: the TableDescription of `table` with TableStatus `status` ("ACTIVE",
 * "CREATING", ...), the item count and size from stats (zero when NULL) and each index's from
 * index_stats (per index in table->indexes order; zeros when NULL). Internal fields of the
 * definition (tags, index numbers) are left out. */
json_t *describe_table(const struct table *table, const struct table_stats *stats,
                       const struct table_stats *index_stats, const char *status);

#endif
