/* respond.c — raw responses (see respond.h). */
#include "respond.h"

int respond_raw(struct request *req, struct strbuf *sb, struct err *err)
{
    req->raw_response = strbuf_finish(sb);
    if (req->raw_response == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    return 0;
}
