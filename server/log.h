/* log.h — leveled logging to stderr, one line per event with a UTC timestamp. Errors are always
 * written; per-request lines only at debug level. The level is set once at start-up. */
#ifndef DYNASTREAM_LOG_H
#define DYNASTREAM_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Sets the most verbose level that is written (default LOG_INFO). */
void log_set_level(enum log_level level);
/* Non-zero when messages of this level are written (to skip building expensive lines). */
int log_enabled(enum log_level level);
/* printf-style line at the given level. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
