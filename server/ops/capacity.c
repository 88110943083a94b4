/* capacity.c — capacity unit arithmetic and ConsumedCapacity objects (see capacity.h). */
#include "capacity.h"

#include <string.h>

#include "limits.h"
#include "table.h"

double capacity_read_units(int64_t size, int consistent)
{
    int64_t units = size <= 0 ? 1 : (size + CAPACITY_READ_UNIT_BYTES - 1) / CAPACITY_READ_UNIT_BYTES;
    return consistent ? (double)units : (double)units / 2.0;
}

double capacity_write_units(int64_t size)
{
    int64_t units = size <= 0 ? 1 : (size + CAPACITY_WRITE_UNIT_BYTES - 1) / CAPACITY_WRITE_UNIT_BYTES;
    return (double)units;
}

json_t *capacity_json(const char *mode, const char *table_name, double units)
{
    json_t *cc;
    if (mode == NULL || (strcmp(mode, "TOTAL") != 0 && strcmp(mode, "INDEXES") != 0))
        return NULL;
    cc = json_object();
    json_object_set_new(cc, "TableName", json_string(table_name));
    json_object_set_new(cc, "CapacityUnits", json_real(units));
    if (strcmp(mode, "INDEXES") == 0) {
        json_t *t = json_object();
        json_object_set_new(t, "CapacityUnits", json_real(units));
        json_object_set_new(cc, "Table", t);
    }
    return cc;
}

json_t *capacity_json_indexes(const char *mode, const struct table *table, double table_units,
                              const double *index_units)
{
    double total = table_units;
    json_t *cc;

    for (int i = 0; index_units != NULL && i < table->n_indexes; i++)
        total += index_units[i];
    cc = capacity_json(mode, table->name, total);
    if (cc == NULL || strcmp(mode, "INDEXES") != 0)
        return cc;
    json_object_set_new(json_object_get(cc, "Table"), "CapacityUnits", json_real(table_units));
    for (int i = 0; index_units != NULL && i < table->n_indexes; i++) {
        const char *group = table->indexes[i].global ? "GlobalSecondaryIndexes"
                                                     : "LocalSecondaryIndexes";
        json_t *map, *entry;
        if (index_units[i] <= 0)
            continue;
        map = json_object_get(cc, group);
        if (map == NULL) {
            map = json_object();
            json_object_set_new(cc, group, map);
        }
        entry = json_object();
        json_object_set_new(entry, "CapacityUnits", json_real(index_units[i]));
        json_object_set_new(map, table->indexes[i].name, entry);
    }
    return cc;
}
