/* capacity.c — capacity unit arithmetic and ConsumedCapacity objects (see capacity.h). */
#include "capacity.h"

#include <string.h>

#include "limits.h"

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
