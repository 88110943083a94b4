/* respond.h — handing a response built as text (stored item JSON spliced in, strbuf.h) to
 * dispatch as the request's raw response, for the operations that answer without re-encoding. */
#ifndef DYNASTREAM_RESPOND_H
#define DYNASTREAM_RESPOND_H

#include "errors.h"
#include "request.h"
#include "strbuf.h"

/* Moves sb's text into req->raw_response (sb is left empty). Returns 0, or -1 with an
 * InternalServerError when building the text ran out of memory. */
int respond_raw(struct request *req, struct strbuf *sb, struct err *err);

#endif
