/* table_rules.h — the semantic checks of CreateTable and UpdateTable that need no table: key schema
 * against AttributeDefinitions, HASH/RANGE order, LSI/GSI rules, projections, billing mode against
 * throughput, StreamSpecification, SSESpecification, TableClass and Tags. They run after
 * reqspec_check() (the body is normalised and its member constraints hold) and before the table
 * lookup, and raise DynamoDB's ValidationException texts ("One or more parameter values were
 * invalid: ..."). API reference: CreateTable, UpdateTable, TagResource. */
#ifndef DYNASTREAM_TABLE_RULES_H
#define DYNASTREAM_TABLE_RULES_H

#include <jansson.h>

#include "errors.h"

/* CreateTable, in DynamoDB's order: billing mode and throughput, OnDemandThroughput (only on a
 * PAY_PER_REQUEST table, each limit at least 1), StreamSpecification,
 * SSESpecification, TableClass, duplicate AttributeDefinitions, table KeySchema, each LSI then
 * each GSI (keys, HASH/RANGE, projection, index throughput, duplicate names), index counts,
 * unused AttributeDefinitions, projected-attribute total, Tags. Borrows body (normalised by
 * reqspec). Returns 0, or -1 with a ValidationException in err. */
int table_rules_check_create(const json_t *body, struct err *err);

/* UpdateTable checks that need no table, in order: "At least one of ... is required", the
 * "must be the only operation in the request" exclusivity rules, billing mode and throughput,
 * OnDemandThroughput limits (at least 1, or -1 for none), StreamSpecification shape, SSESpecification, TableClass, GlobalSecondaryIndexUpdates shape
 * (empty list, one action per update, one update per index, Create's key schema, projection and
 * AttributeDefinitions). Borrows body. Returns 0, or -1 with a ValidationException in err.
 *
 * Left to the op handler because they need the current table (after ResourceNotFoundException):
 *   - ResourceInUseException while the table is not ACTIVE;
 *   - "Table already has an enabled stream: TableName: <t>" (enable, or change the view type),
 *     "Table has no stream to disable: TableName: <t>";
 *   - ProvisionedThroughput on a PAY_PER_REQUEST table without BillingMode: "One or more parameter
 *     values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when
 *     BillingMode is PAY_PER_REQUEST"; switching to PROVISIONED needs throughput for every GSI:
 *     "One or more parameter values were invalid: ProvisionedThroughput must be specified for
 *     index: <i>";
 *   - unchanged throughput: "The provisioned throughput for the table will not change. The
 *     requested value equals the current value. Current ReadCapacityUnits provisioned for the
 *     table: <n>. Requested ReadCapacityUnits: <n>. Current WriteCapacityUnits provisioned for the
 *     table: <n>. Requested WriteCapacityUnits: <n>. Refer to the Amazon DynamoDB Developer Guide
 *     for current limits and how to request higher limits." (and the "for the index <i>" form);
 *   - GSI Create: "Attempting to create an index which already exists", index throughput against
 *     the table's billing mode ("ProvisionedThroughput must be specified for index: <i>" /
 *     "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: <i> when
 *     BillingMode is PAY_PER_REQUEST"), the per-table GSI limit (LimitExceededException), an
 *     AttributeDefinition whose type contradicts the table's;
 *   - GSI Update/Delete of an unknown index: ResourceNotFoundException "Requested resource not
 *     found: Index <i> for table <t>"; "The only Updates for index: <i> when TableThroughputMode
 *     is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput";
 *   - OnDemandThroughput on a PROVISIONED table: table_rules_on_demand_needs_pay_per_request();
 *   - SSE no-ops ("Table is already encrypted by default"), TableClass and DeletionProtection
 *     changes and limits, replicas. */
int table_rules_check_update(const json_t *body, struct err *err);

/* Raises "One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput
 * cannot be specified when the table BillingMode is PROVISIONED" (MaxWriteRequestUnits when only
 * that one is given) for an OnDemandThroughput object on a provisioned table. Borrows odt.
 * Returns -1 with a ValidationException in err. */
int table_rules_on_demand_needs_pay_per_request(const json_t *odt, struct err *err);

/* Tag list rules shared by CreateTable and TagResource: key 1..128 and value 0..256 characters of
 * letters, digits, spaces and _.:/=+-@ ("The Tag Key provided is invalid, Key: <k>", "The Tag
 * Value provided is invalid, Value: <v>", null printed as null), no "aws:" prefix, no duplicate
 * keys, at most LIMIT_TAGS_PER_RESOURCE tags in the list (TagResource must also count the tags
 * already on the resource). Borrows tags (a JSON array). Returns 0, or -1 with err set. */
int table_rules_check_tags(const json_t *tags, struct err *err);

#endif
