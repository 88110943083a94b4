/* auth.c — Authorization header shape checks and credential-scope parsing (see auth.h).
 * Order and messages follow DynamoDB: a header that is absent or not AWS4-* is
 * MissingAuthenticationTokenException; missing Credential/Signature/SignedHeaders or date headers
 * are listed together in one IncompleteSignatureException; a malformed credential scope is
 * IncompleteSignatureException too. Presigned query-string auth is not supported (SDKs do not use
 * it for DynamoDB). */
#include "auth.h"

#include <stdio.h>
#include <string.h>

/* Finds "<name>=" as a parameter of the header and copies its value (up to ',' or space). */
static int find_param(const char *header, const char *name, char *value, size_t size)
{
    size_t name_len = strlen(name);
    const char *p = header;

    while ((p = strstr(p, name)) != NULL) {
        int at_start = (p == header) || p[-1] == ' ' || p[-1] == ',';
        if (at_start && p[name_len] == '=') {
            const char *v = p + name_len + 1;
            size_t n = strcspn(v, ", ");
            if (n == 0)
                return 0;
            if (n >= size)
                n = size - 1;
            memcpy(value, v, n);
            value[n] = '\0';
            return 1;
        }
        p += name_len;
    }
    return 0;
}

int auth_check(const char *authorization, const char *amz_date, const char *date,
               struct auth_identity *id, struct err *err)
{
    char credential[512], scratch[512], msg[1024];
    const char *params[] = {"Credential", "Signature", "SignedHeaders"};
    const char *start;
    size_t len = 0;

    start = authorization;
    while (start != NULL && *start == ' ')
        start++;
    if (start == NULL || strncmp(start, "AWS4-", 5) != 0)
        return err_set(err, ERR_MISSING_AUTH_TOKEN, "Request is missing Authentication Token");

    msg[0] = '\0';
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        if (!find_param(start, params[i], scratch, sizeof scratch))
            len += snprintf(msg + len, sizeof msg - len,
                            "Authorization header requires '%s' parameter. ", params[i]);
        if (len >= sizeof msg)
            len = sizeof msg - 1;
    }
    if ((amz_date == NULL || *amz_date == '\0') && (date == NULL || *date == '\0'))
        len += snprintf(msg + len, sizeof msg - len, "Authorization header requires existence of "
                        "either a 'X-Amz-Date' or a 'Date' header. ");
    if (len > 0)
        return err_set(err, ERR_INCOMPLETE_SIGNATURE, "%sAuthorization=%s", msg, authorization);

    find_param(start, "Credential", credential, sizeof credential);
    /* keyid/date/region/service/aws4_request; trailing slashes are ignored by DynamoDB */
    {
        char *parts[6] = {0};
        int n = 0;
        char *save = NULL;
        size_t clen = strlen(credential);
        char copy[512];
        while (clen > 0 && credential[clen - 1] == '/')
            credential[--clen] = '\0';
        memcpy(copy, credential, clen + 1);
        for (char *tok = strtok_r(copy, "/", &save); tok != NULL && n < 6;
             tok = strtok_r(NULL, "/", &save))
            parts[n++] = tok;
        if (n != 5 || strchr(credential, '/') == NULL)
            return err_set(err, ERR_INCOMPLETE_SIGNATURE,
                           "Credential must have exactly 5 slash-delimited elements, e.g. "
                           "keyid/date/region/service/term, got '%s'", credential);
        snprintf(id->access_key, sizeof id->access_key, "%s", parts[0]);
        snprintf(id->region, sizeof id->region, "%s", parts[2]);
    }
    return 0;
}
