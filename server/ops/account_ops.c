/* account_ops.c — DescribeLimits (API reference): what tools and SDK helpers ask before they do
 * anything else. It gives DynamoDB's default account and table quotas. */
#include "ops.h"

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
