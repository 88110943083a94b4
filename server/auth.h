/* auth.h — checks the shape of a request's SigV4 Authorization header as DynamoDB (and DynamoDB
 * Local) do before anything else, and extracts the access key id and region that namespace the
 * caller's tables. Signatures are not verified (DynamoDB Local does not either).
 * Errors: MissingAuthenticationTokenException, IncompleteSignatureException, with DynamoDB's words. */
#ifndef DYNASTREAM_AUTH_H
#define DYNASTREAM_AUTH_H

#include <stddef.h>

#include "errors.h"

#define AUTH_FIELD_MAX 128

struct auth_identity {
    char access_key[AUTH_FIELD_MAX];   /* first element of the credential scope */
    char region[AUTH_FIELD_MAX];       /* third element of the credential scope */
};

/* authorization: the Authorization header or NULL; amz_date/date: the X-Amz-Date and Date headers
 * or NULL. On success fills *id. Borrows all strings. */
int auth_check(const char *authorization, const char *amz_date, const char *date,
               struct auth_identity *id, struct err *err);

#endif
