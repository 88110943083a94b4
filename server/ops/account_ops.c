/* account_ops.c — DescribeLimits and DescribeEndpoints (API reference of each): what tools and SDK
 * helpers ask before they do anything else. DescribeLimits gives DynamoDB's default account and
 * table quotas; DescribeEndpoints (asked by SDKs with endpoint discovery on) names this server
 * itself, so that discovery keeps the SDK here rather than sending it to AWS. */
#include <stdio.h>

#include "config.h"
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

int op_describe_endpoints(struct request *req, json_t **out, struct err *err)
{
    char address[300];
    (void)err;
    snprintf(address, sizeof address, "%s:%d", req->config->host, req->config->port);
    /* 1440 minutes: what DynamoDB answers */
    *out = json_pack("{s:[{s:s,s:i}]}", "Endpoints", "Address", address, "CachePeriodInMinutes", 1440);
    return 0;
}
