/* timeutil.c — clock readings and DynamoDB's time formats (see timeutil.h). */
#include "timeutil.h"

#include <stdio.h>
#include <time.h>

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double time_ms_to_epoch(int64_t ms) { return (double)ms / 1000.0; }

void time_iso8601_ms(int64_t ms, char *buf)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    size_t n;
    gmtime_r(&secs, &tm);
    n = strftime(buf, 20, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, 5, ".%03u", (unsigned)(ms % 1000) % 1000u);
}
