/* timeutil.h — wall-clock helpers in the forms DynamoDB uses: epoch seconds with millisecond
 * precision (CreationDateTime, ApproximateCreationDateTime) and ISO-8601 labels with milliseconds
 * (stream labels, "2026-11-25T12:00:00.123"). Pure apart from reading the clock. */
#ifndef DYNASTREAM_TIMEUTIL_H
#define DYNASTREAM_TIMEUTIL_H

#include <stdint.h>

/* Milliseconds since the epoch. */
int64_t time_now_ms(void);
/* Epoch seconds with millisecond precision (ms / 1000.0). */
double time_ms_to_epoch(int64_t ms);
/* Writes "YYYY-MM-DDTHH:MM:SS.mmm" (UTC) for ms into buf (>= 32 bytes). */
void time_iso8601_ms(int64_t ms, char *buf);

#endif
