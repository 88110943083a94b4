/* reqspec.h — declarative request specs per operation and the engine that checks a parsed request
 * body against them, in DynamoDB's order: field types first (SerializationException, e.g.
 * "NUMBER_VALUE cannot be converted to String", "Start of structure or map found where not
 * expected"), then required parameters and table-name rules, then every constraint (length,
 * range, enum, pattern) collected into one ValidationException
 * "N validation error(s) detected: Value '...' at 'path' failed to satisfy constraint: ...; ..."
 * (at most 10). Unknown fields are dropped, as DynamoDB ignores them. It does not do semantic
 * checks that need the table (those are in the ops and validate.c). dynalite's engine is the model. */
#ifndef DYNASTREAM_REQSPEC_H
#define DYNASTREAM_REQSPEC_H

#include <jansson.h>

#include "errors.h"

/* Checks body (a JSON object) for operation `op` ("PutItem", "GetRecords", ...) and normalises it in
 * place: unknown and null fields removed, booleans given as strings ("true"/"yes"/"1") converted,
 * integral fields given as decimals floored, as DynamoDB's deserializer does. Operations without
 * a spec pass unchanged. Returns 0, or -1 with err set. */
int reqspec_check(const char *op, json_t *body, struct err *err);

#endif
