/* table_settings.h — what other operations share of table_settings.c: the checks of a
 * resource-based policy document (CreateTable takes one too, in its ResourcePolicy member). */
#ifndef DYNASTREAM_TABLE_SETTINGS_H
#define DYNASTREAM_TABLE_SETTINGS_H

#include "errors.h"

/* Checks a policy document as DynamoDB does without IAM (size, JSON, statements with Effect and
 * Resource, unique Sids, no Allow to everyone). Returns 0, or -1 with a ValidationException. */
int table_settings_check_policy(const char *policy, struct err *err);

#endif
