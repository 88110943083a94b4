/* account_ops.c — DescribeLimits and DescribeTimeToLive (API reference of each): what tools and
 * SDK helpers ask before they do anything else. DescribeLimits gives DynamoDB's default quotas;
 * DescribeTimeToLive reports TTL as DISABLED, truthfully, since dynastream does not expire items
 * (UpdateTimeToLive is not built and answers UnknownOperationException). */
#include "ops.h"
#include "table.h"

int op_describe_limits(struct request *req, json_t **out, struct err *err)
{
    (void)req;
    (void)err;
    /* the default account and table quotas of the developer guide's "Service quotas" page */
    *out = json_pack("{s:i,s:i,s:i,s:i}", "AccountMaxReadCapacityUnits", 80000,
                     "AccountMaxWriteCapacityUnits", 80000, "TableMaxReadCapacityUnits", 40000,
                     "TableMaxWriteCapacityUnits", 40000);
    return 0;
}

int op_describe_time_to_live(struct request *req, json_t **out, struct err *err)
{
    const char *name = json_string_value(json_object_get(req->body, "TableName"));
    struct table *t = NULL;
    int found = table_find(req->tables, req->db, req->account, req->region, name, &t, NULL, err);

    if (found <= 0)
        return found < 0 ? -1 : err_set(err, ERR_RESOURCE_NOT_FOUND,
                                         "Requested resource not found: Table: %s not found", name);
    table_release(t);
    *out = json_pack("{s:{s:s}}", "TimeToLiveDescription", "TimeToLiveStatus", "DISABLED");
    return 0;
}
