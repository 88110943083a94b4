/* client.c — the standalone replicator's HTTP/1.1 client (see client.h). One request at a time on
 * one keep-alive TCP connection (TCP_NODELAY: requests are small and latency is the point); every
 * wait is a poll() against the request's deadline. A request that fails on a reused connection
 * before any byte of the answer arrived is sent once more on a fresh connection (the server may
 * have closed an idle connection; every call the replicator makes is safe to repeat). Responses:
 * Content-Length, chunked, or read-until-close bodies; x-amz-crc32 is checked when present.
 * Sections: URL and credentials, sockets, request, response, errors, the call. */
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "log.h"
#include "sigv4.h"

#define MAX_HEADER_BYTES 65536            /* a response head larger than this is refused */
#define MAX_BODY_BYTES (64u * 1024 * 1024) /* GetRecords answers at most 1 MB; BatchGet 16 MB */

struct client {
    char *endpoint;                 /* as given */
    char *host;                     /* for getaddrinfo (brackets of an IPv6 literal removed) */
    char *port;
    char *authority;                /* Host header: host[:port] as in the URL */
    char *path;                     /* request path, "/" by default */
    struct client_credentials creds;
    int timeout_ms;
    int fd;                         /* -1 when not connected */
    char *rbuf;                     /* bytes read and not consumed */
    size_t rlen, rcap;
    atomic_long requests;           /* read by the status thread: atomic */
    atomic_long connections;
};

/* ==================================================================================== */
/* URL and credentials                                                                  */
/* ==================================================================================== */

static int copy_env(char *dst, size_t size, const char *name, struct err *err)
{
    const char *v = getenv(name);
    dst[0] = '\0';
    if (v == NULL)
        return 0;
    if (strlen(v) >= size)
        return err_set(err, ERR_VALIDATION, "%s is too long (%zu bytes at most)", name, size - 1);
    snprintf(dst, size, "%s", v);
    return 0;
}

int client_credentials_from_env(struct client_credentials *c, const char *region, struct err *err)
{
    memset(c, 0, sizeof *c);
    if (copy_env(c->access_key_id, sizeof c->access_key_id, "AWS_ACCESS_KEY_ID", err) < 0 ||
        copy_env(c->secret_access_key, sizeof c->secret_access_key, "AWS_SECRET_ACCESS_KEY", err) < 0 ||
        copy_env(c->session_token, sizeof c->session_token, "AWS_SESSION_TOKEN", err) < 0)
        return -1;
    if ((c->access_key_id[0] == '\0') != (c->secret_access_key[0] == '\0'))
        return err_set(err, ERR_VALIDATION, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set "
                       "together");
    c->from_env = c->access_key_id[0] != '\0';
    if (!c->from_env) {
        snprintf(c->access_key_id, sizeof c->access_key_id, "%s", CLIENT_FALLBACK_KEY_ID);
        snprintf(c->secret_access_key, sizeof c->secret_access_key, "%s", CLIENT_FALLBACK_SECRET);
        c->session_token[0] = '\0';
    }
    if (region != NULL && region[0] != '\0') {
        if (strlen(region) >= sizeof c->region)
            return err_set(err, ERR_VALIDATION, "region '%s' is too long", region);
        snprintf(c->region, sizeof c->region, "%s", region);
    } else if (copy_env(c->region, sizeof c->region, "AWS_REGION", err) < 0) {
        return -1;
    } else if (c->region[0] == '\0' &&
               copy_env(c->region, sizeof c->region, "AWS_DEFAULT_REGION", err) < 0) {
        return -1;
    }
    if (c->region[0] == '\0')
        snprintf(c->region, sizeof c->region, "%s", CLIENT_DEFAULT_REGION);
    return 0;
}

/* Splits "http://host[:port][/path]" into the client's host, port, authority and path. */
static int parse_url(struct client *c, const char *url, struct err *err)
{
    const char *p, *auth_end, *host_end, *port = NULL;
    size_t host_len;

    if (strncasecmp(url, "https://", 8) == 0)
        return err_set(err, ERR_VALIDATION, "%s: https is not supported by this client; run a local "
                       "TLS-terminating proxy (for example stunnel in client mode) and give its "
                       "http:// address (see README)", url);
    if (strncasecmp(url, "http://", 7) != 0)
        return err_set(err, ERR_VALIDATION, "%s: the endpoint must be an http:// URL", url);
    p = url + 7;
    auth_end = p + strcspn(p, "/?#");
    if (auth_end == p)
        return err_set(err, ERR_VALIDATION, "%s: no host in the endpoint URL", url);
    if (*p == '[') {                               /* [IPv6]:port */
        host_end = memchr(p, ']', (size_t)(auth_end - p));
        if (host_end == NULL)
            return err_set(err, ERR_VALIDATION, "%s: unterminated IPv6 address", url);
        p++;
        host_len = (size_t)(host_end - p);
        if (host_end + 1 < auth_end) {
            if (host_end[1] != ':')
                return err_set(err, ERR_VALIDATION, "%s: bad port", url);
            port = host_end + 2;
        }
    } else {
        host_end = memchr(p, ':', (size_t)(auth_end - p));
        if (host_end != NULL)
            port = host_end + 1;
        else
            host_end = auth_end;
        host_len = (size_t)(host_end - p);
    }
    if (port != NULL) {
        size_t plen = (size_t)(auth_end - port);
        if (plen == 0 || plen > 5 || strspn(port, "0123456789") < plen)
            return err_set(err, ERR_VALIDATION, "%s: bad port", url);
        c->port = strndup(port, plen);
    } else {
        c->port = strdup("80");
    }
    c->host = strndup(p, host_len);
    c->authority = strndup(url + 7, (size_t)(auth_end - (url + 7)));
    c->path = *auth_end == '/' ? strndup(auth_end, strcspn(auth_end, "?#")) : strdup("/");
    if (c->host == NULL || c->port == NULL || c->authority == NULL || c->path == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    if (c->host[0] == '\0')
        return err_set(err, ERR_VALIDATION, "%s: no host in the endpoint URL", url);
    return 0;
}

int client_new(const char *endpoint, const struct client_credentials *creds, int timeout_ms,
               struct client **out, struct err *err)
{
    struct client *c = calloc(1, sizeof *c);

    *out = NULL;
    if (c == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    c->fd = -1;
    c->creds = *creds;
    c->timeout_ms = timeout_ms > 0 ? timeout_ms : CLIENT_DEFAULT_TIMEOUT_MS;
    c->endpoint = strdup(endpoint);
    if (c->endpoint == NULL) {
        client_free(c);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    if (parse_url(c, endpoint, err) < 0) {
        client_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

static void conn_close(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->rlen = 0;
}

void client_free(struct client *c)
{
    if (c == NULL)
        return;
    conn_close(c);
    free(c->endpoint);
    free(c->host);
    free(c->port);
    free(c->authority);
    free(c->path);
    free(c->rbuf);
    free(c);
}

const char *client_endpoint(const struct client *c)
{
    return c->endpoint;
}

void client_counts(const struct client *c, long *requests, long *connections)
{
    if (requests != NULL)
        *requests = atomic_load(&c->requests);
    if (connections != NULL)
        *connections = atomic_load(&c->connections);
}

/* ==================================================================================== */
/* Sockets                                                                              */
/* ==================================================================================== */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes. Returns 1 ready, 0 timed out, -1. */
static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd pfd = {fd, events, 0};
        int64_t left = deadline - mono_ms();
        int rc;
        if (left <= 0)
            return 0;
        rc = poll(&pfd, 1, (int)left);
        if (rc > 0)
            return 1;
        if (rc == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

/* Connects to the endpoint (each address in turn) before the deadline. */
static int conn_open(struct client *c, int64_t deadline, struct err *err)
{
    struct addrinfo hints = {0}, *res = NULL, *ai;
    int rc, last_errno = 0;

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(c->host, c->port, &hints, &res);
    if (rc != 0)
        return err_set(err, ERR_INTERNAL, "%s: cannot resolve %s: %s", c->endpoint, c->host,
                       gai_strerror(rc));
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                        ai->ai_protocol);
        int one = 1, soerr = 0;
        socklen_t len = sizeof soerr;
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            if (errno != EINPROGRESS) {
                last_errno = errno;
                close(fd);
                continue;
            }
            if (wait_fd(fd, POLLOUT, deadline) != 1) {
                last_errno = ETIMEDOUT;
                close(fd);
                continue;
            }
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr != 0) {
                last_errno = soerr ? soerr : errno;
                close(fd);
                continue;
            }
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd = fd;
        c->connections++;
        break;
    }
    freeaddrinfo(res);
    if (c->fd < 0)
        return err_set(err, ERR_INTERNAL, "%s: cannot connect: %s", c->endpoint,
                       strerror(last_errno ? last_errno : ECONNREFUSED));
    return 0;
}

/* Sends all of data. Returns 0, or -1 with errno (ETIMEDOUT on the deadline). */
static int send_all(int fd, const char *data, size_t len, int64_t deadline)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int w = wait_fd(fd, POLLOUT, deadline);
            if (w == 1)
                continue;
            if (w == 0)
                errno = ETIMEDOUT;
            return -1;
        }
        return -1;
    }
    return 0;
}

/* Reads more bytes into rbuf. Returns the count, 0 at end of stream, -1 with errno. */
static ssize_t fill(struct client *c, int64_t deadline)
{
    if (c->rcap - c->rlen < 16384) {
        size_t cap = c->rcap ? c->rcap * 2 : 32768;
        char *p;
        if (cap > MAX_BODY_BYTES + MAX_HEADER_BYTES + 65536) {
            errno = EMSGSIZE;
            return -1;
        }
        p = realloc(c->rbuf, cap);
        if (p == NULL) {
            errno = ENOMEM;
            return -1;
        }
        c->rbuf = p;
        c->rcap = cap;
    }
    for (;;) {
        ssize_t n = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
        if (n >= 0) {
            c->rlen += (size_t)n;
            return n;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int w = wait_fd(c->fd, POLLIN, deadline);
            if (w == 1)
                continue;
            if (w == 0)
                errno = ETIMEDOUT;
            return -1;
        }
        return -1;
    }
}

static void consume(struct client *c, size_t n)
{
    memmove(c->rbuf, c->rbuf + n, c->rlen - n);
    c->rlen -= n;
}

/* ==================================================================================== */
/* Request                                                                              */
/* ==================================================================================== */

/* Builds the signed request head and body into *out (malloc'd). */
static int build_request(struct client *c, const char *target, const char *body, size_t body_len,
                         char **out, size_t *out_len, struct err *err)
{
    char amz_date[20];
    time_t now = time(NULL);
    struct tm tm;
    struct sigv4_header h[5];
    size_t nh = 0;
    char *authz = NULL, *req;
    size_t cap;
    int n;

    gmtime_r(&now, &tm);
    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    h[nh++] = (struct sigv4_header){"Host", c->authority};
    h[nh++] = (struct sigv4_header){"Content-Type", "application/x-amz-json-1.0"};
    h[nh++] = (struct sigv4_header){"X-Amz-Date", amz_date};
    h[nh++] = (struct sigv4_header){"X-Amz-Target", target};
    if (c->creds.session_token[0] != '\0')
        h[nh++] = (struct sigv4_header){"X-Amz-Security-Token", c->creds.session_token};
    {
        struct sigv4_request sreq = {"POST", c->path, NULL, h, nh, body, body_len};
        if (sigv4_authorization(&sreq, c->creds.access_key_id, c->creds.secret_access_key,
                                amz_date, c->creds.region, CLIENT_SERVICE, &authz, err) < 0)
            return -1;
    }
    cap = 1024 + strlen(c->path) + strlen(c->authority) + strlen(target) + strlen(authz) +
          strlen(c->creds.session_token) + body_len;
    req = malloc(cap);
    if (req == NULL) {
        free(authz);
        return err_set(err, ERR_INTERNAL, "out of memory");
    }
    n = snprintf(req, cap,
                 "POST %s HTTP/1.1\r\n"
                 "Host: %s\r\n"
                 "Content-Type: application/x-amz-json-1.0\r\n"
                 "X-Amz-Date: %s\r\n"
                 "X-Amz-Target: %s\r\n"
                 "%s%s%s"
                 "Authorization: %s\r\n"
                 "User-Agent: dynastream-replicator/1.0\r\n"
                 "Accept-Encoding: identity\r\n"
                 "Content-Length: %zu\r\n"
                 "\r\n",
                 c->path, c->authority, amz_date, target,
                 c->creds.session_token[0] ? "X-Amz-Security-Token: " : "",
                 c->creds.session_token, c->creds.session_token[0] ? "\r\n" : "",
                 authz, body_len);
    free(authz);
    if (n < 0 || (size_t)n + body_len >= cap) {
        free(req);
        return err_set(err, ERR_INTERNAL, "request head too long");
    }
    memcpy(req + n, body, body_len);
    *out = req;
    *out_len = (size_t)n + body_len;
    return 0;
}

/* ==================================================================================== */
/* Response                                                                             */
/* ==================================================================================== */

struct strbody {
    char *p;               /* malloc'd, NUL-terminated once anything was read */
    size_t len, cap;
};

struct response {
    int status;
    char *body;            /* malloc'd, NUL-terminated */
    size_t len;
    int close;             /* the server closes the connection after it */
    int has_crc;
    unsigned long crc;
};

/* Finds a header (case-insensitive name) in the head [start, end); copies its trimmed value. */
static int header_value(const char *head, const char *name, char *value, size_t size)
{
    size_t nlen = strlen(name);
    const char *line = strstr(head, "\r\n");
    while (line != NULL && line[2] != '\r') {
        const char *p = line + 2, *eol = strstr(p, "\r\n");
        if (eol == NULL)
            break;
        if ((size_t)(eol - p) > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            size_t vlen;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            vlen = (size_t)(eol - v);
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                vlen--;
            if (vlen >= size)
                vlen = size - 1;
            memcpy(value, v, vlen);
            value[vlen] = '\0';
            return 1;
        }
        line = eol;
    }
    return 0;
}

/* Reads exactly n body bytes (some may be buffered) and appends them to *body. */
static int read_exact(struct client *c, size_t n, struct strbody *b, int64_t deadline)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->len + n + 1;
        char *p;
        if (cap > MAX_BODY_BYTES + 1) {
            errno = EMSGSIZE;
            return -1;
        }
        p = realloc(b->p, cap);
        if (p == NULL) {
            errno = ENOMEM;
            return -1;
        }
        b->p = p;
        b->cap = cap;
    }
    while (n > 0) {
        size_t take;
        if (c->rlen == 0) {
            ssize_t got = fill(c, deadline);
            if (got <= 0) {
                if (got == 0)
                    errno = ECONNRESET;
                return -1;
            }
        }
        take = c->rlen < n ? c->rlen : n;
        memcpy(b->p + b->len, c->rbuf, take);
        b->len += take;
        consume(c, take);
        n -= take;
    }
    b->p[b->len] = '\0';
    return 0;
}

/* Reads up to and including the next CRLF; copies the line (without it) into line. */
static int read_line(struct client *c, char *line, size_t size, int64_t deadline)
{
    for (;;) {
        char *eol = c->rlen > 0 ? memmem(c->rbuf, c->rlen, "\r\n", 2) : NULL;
        if (eol != NULL) {
            size_t n = (size_t)(eol - c->rbuf);
            if (n >= size)
                n = size - 1;
            memcpy(line, c->rbuf, n);
            line[n] = '\0';
            consume(c, (size_t)(eol - c->rbuf) + 2);
            return 0;
        }
        if (c->rlen > 4096) {
            errno = EPROTO;
            return -1;
        }
        {
            ssize_t got = fill(c, deadline);
            if (got <= 0) {
                if (got == 0)
                    errno = ECONNRESET;
                return -1;
            }
        }
    }
}

/* Reads one response. *got_any tells whether any byte of it arrived (for the reconnect rule).
 * Returns 0, or -1 with errno (EPROTO: not HTTP). */
static int read_response(struct client *c, struct response *r, int *got_any, int64_t deadline)
{
    struct strbody b = {0};
    char *head_end, *head = NULL, value[64];
    size_t head_len;
    int chunked = 0;

    memset(r, 0, sizeof *r);
    *got_any = c->rlen > 0;
    while ((head_end = c->rlen ? memmem(c->rbuf, c->rlen, "\r\n\r\n", 4) : NULL) == NULL) {
        ssize_t got;
        if (c->rlen > MAX_HEADER_BYTES) {
            errno = EPROTO;
            return -1;
        }
        got = fill(c, deadline);
        if (got <= 0) {
            if (got == 0)
                errno = ECONNRESET;
            return -1;
        }
        *got_any = 1;
    }
    head_len = (size_t)(head_end - c->rbuf) + 4;
    head = strndup(c->rbuf, head_len);
    if (head == NULL) {
        errno = ENOMEM;
        return -1;
    }
    consume(c, head_len);
    if (sscanf(head, "HTTP/1.%*d %d", &r->status) != 1 || r->status < 100 || r->status > 599) {
        free(head);
        errno = EPROTO;
        return -1;
    }
    r->close = strncmp(head, "HTTP/1.0", 8) == 0;
    if (header_value(head, "Connection", value, sizeof value))
        r->close = strcasecmp(value, "close") == 0 ? 1 : strcasecmp(value, "keep-alive") == 0 ? 0 : r->close;
    if (header_value(head, "x-amz-crc32", value, sizeof value)) {
        char *end;
        r->crc = strtoul(value, &end, 10);
        r->has_crc = end != value && *end == '\0';
    }
    if (header_value(head, "Transfer-Encoding", value, sizeof value))
        chunked = strcasecmp(value, "chunked") == 0;
    if (chunked) {
        for (;;) {
            char line[128];
            unsigned long size;
            char *end;
            if (read_line(c, line, sizeof line, deadline) < 0)
                goto fail;
            size = strtoul(line, &end, 16);
            if (end == line) {
                errno = EPROTO;
                goto fail;
            }
            if (size == 0) {
                do {   /* trailers, up to the empty line */
                    if (read_line(c, line, sizeof line, deadline) < 0)
                        goto fail;
                } while (line[0] != '\0');
                break;
            }
            if (size > MAX_BODY_BYTES || read_exact(c, size, &b, deadline) < 0 ||
                read_line(c, line, sizeof line, deadline) < 0)
                goto fail;
        }
    } else if (header_value(head, "Content-Length", value, sizeof value)) {
        char *end;
        unsigned long long n = strtoull(value, &end, 10);
        if (end == value || *end != '\0' || n > MAX_BODY_BYTES) {
            errno = EPROTO;
            goto fail;
        }
        if (read_exact(c, (size_t)n, &b, deadline) < 0)
            goto fail;
    } else if (r->status != 204 && r->status != 304) {
        /* no length: the body runs to the end of the connection */
        ssize_t got;
        r->close = 1;
        while ((got = fill(c, deadline)) > 0)
            if (c->rlen > MAX_BODY_BYTES) {
                errno = EMSGSIZE;
                goto fail;
            }
        if (got < 0 || read_exact(c, c->rlen, &b, deadline) < 0)
            goto fail;
    }
    if (b.p == NULL) {
        b.p = strdup("");
        if (b.p == NULL) {
            errno = ENOMEM;
            goto fail;
        }
    }
    free(head);
    r->body = b.p;
    r->len = b.len;
    return 0;
fail:
    free(head);
    free(b.p);
    return -1;
}

/* ==================================================================================== */
/* Errors                                                                               */
/* ==================================================================================== */

/* The err code whose wire name is name, or ERR_NONE. */
static enum err_code code_by_name(const char *name)
{
    for (int code = ERR_NONE + 1; code < ERR__COUNT; code++)
        if (strcmp(err_name((enum err_code)code), name) == 0)
            return (enum err_code)code;
    return ERR_NONE;
}

/* Turns an error response into err: {"__type":"ns#Name","message":"..."} (or "Message"). */
static int service_error(struct client *c, const char *target, const struct response *r,
                         struct err *err)
{
    json_error_t jerr;
    json_t *body = json_loadb(r->body, r->len, 0, &jerr);
    const char *type = json_string_value(json_object_get(body, "__type"));
    const char *msg = json_string_value(json_object_get(body, "message"));
    const char *name;
    enum err_code code;

    if (msg == NULL)
        msg = json_string_value(json_object_get(body, "Message"));
    if (type == NULL) {
        err_set(err, ERR_INTERNAL, "%s %s: HTTP %d: %.200s", c->endpoint, target, r->status,
                r->body);
        json_decref(body);
        return -1;
    }
    name = strrchr(type, '#');
    name = name != NULL ? name + 1 : type;
    code = code_by_name(name);
    if (code == ERR_NONE)
        err_set(err, ERR_INTERNAL, "%s%s%s", name, msg ? ": " : "", msg ? msg : "");
    else if (msg != NULL)
        err_set(err, code, "%s", msg);
    else
        err_set_bare(err, code);
    json_decref(body);
    return -1;
}

/* ==================================================================================== */
/* The call                                                                             */
/* ==================================================================================== */

/* Sends the request and reads the answer on the current (or a new) connection. *retry is set
 * when the failure happened on a reused connection before any answer arrived. */
static int exchange(struct client *c, const char *req, size_t req_len, struct response *r,
                    int64_t deadline, int *retry, struct err *err)
{
    int reused = c->fd >= 0, got_any = 0;

    *retry = 0;
    if (c->fd < 0 && conn_open(c, deadline, err) < 0)
        return -1;
    c->rlen = 0;
    if (send_all(c->fd, req, req_len, deadline) < 0 || read_response(c, r, &got_any, deadline) < 0) {
        int e = errno;
        conn_close(c);
        if (reused && !got_any && e != ETIMEDOUT) {
            *retry = 1;
            return -1;
        }
        return err_set(err, ERR_INTERNAL, "%s: %s", c->endpoint,
                       e == ETIMEDOUT ? "request timed out" : e == EPROTO ? "not an HTTP response"
                                                                         : strerror(e));
    }
    if (r->close)
        conn_close(c);
    return 0;
}

int client_call(struct client *c, const char *target, const json_t *body, json_t **out,
                struct err *err)
{
    char *text = NULL, *req = NULL;
    size_t req_len = 0;
    struct response r = {0};
    int64_t start = mono_ms(), deadline = start + c->timeout_ms;
    int rc = -1, retry = 0;
    json_error_t jerr;

    *out = NULL;
    text = json_dumps(body, JSON_COMPACT);
    if (text == NULL)
        return err_set(err, ERR_INTERNAL, "out of memory");
    if (build_request(c, target, text, strlen(text), &req, &req_len, err) < 0)
        goto out;
    c->requests++;
    if (exchange(c, req, req_len, &r, deadline, &retry, err) < 0) {
        if (!retry)
            goto out;
        log_debug("client %s: connection closed by the server; reconnecting", c->endpoint);
        if (exchange(c, req, req_len, &r, deadline, &retry, err) < 0) {
            if (retry)
                err_set(err, ERR_INTERNAL, "%s: connection closed without an answer", c->endpoint);
            goto out;
        }
    }
    log_debug("client %s %s: HTTP %d, %zu bytes, %lld ms", c->endpoint, target, r.status, r.len,
              (long long)(mono_ms() - start));
    if (r.has_crc && crc32(0L, (const Bytef *)r.body, (uInt)r.len) != r.crc) {
        conn_close(c);
        err_set(err, ERR_INTERNAL, "%s %s: x-amz-crc32 does not match the body", c->endpoint, target);
        goto out;
    }
    if (r.status != 200) {
        service_error(c, target, &r, err);
        goto out;
    }
    *out = json_loadb(r.body, r.len, 0, &jerr);
    if (*out == NULL) {
        err_set(err, ERR_INTERNAL, "%s %s: the answer is not JSON: %s", c->endpoint, target,
                jerr.text);
        goto out;
    }
    rc = 0;
out:
    free(text);
    free(req);
    free(r.body);
    return rc;
}
