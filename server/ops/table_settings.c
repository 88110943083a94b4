/* table_settings.c — per-table settings that change no data: point-in-time recovery
 * (UpdateContinuousBackups, DescribeContinuousBackups), CloudWatch Contributor Insights
 * (UpdateContributorInsights, DescribeContributorInsights, ListContributorInsights) and
 * resource-based policies (PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy). Each is
 * kept in the table's stored definition and changed at once (DynamoDB settles these in seconds);
 * nothing is recorded for point-in-time restore, and no metrics or access checks follow from
 * them; tools that read these settings with a table get DynamoDB's answers. API reference of
 * each operation; behaviour and words from 2026 captures of DynamoDB (ack-api-quirks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ops.h"
#include "store.h"
#include "table.h"
#include "table_settings.h"
#include "timeutil.h"

#define PITR_DEFAULT_DAYS 35

/* One change of a table's definition: fn edits the copy `def` of table t's; runs in a write. */
struct setting_job {
    struct request *req;
    const char *name;
    enum err_code missing;             /* the error of an absent table */
    int (*fn)(struct setting_job *job, const struct table *t, json_t *def, struct err *err);
    const json_t *arg;
    const char *text;                  /* a job's own string input (policy, stream label) */
    json_t *result;                    /* what the operation answers (new reference) */
    int unchanged;                     /* fn changed nothing: skip the save */
};

static int missing_table(enum err_code code, const char *name, struct err *err)
{
    if (code == ERR_RESOURCE_NOT_FOUND)
        return err_set(err, code, "Requested resource not found: Table: %s not found", name);
    return err_set(err, code, "Table not found: %s", name);
}

static int apply_setting(struct store_conn *w, void *arg, struct err *err)
{
    struct setting_job *job = arg;
    struct table *t = NULL;
    json_t *def;
    int rc, found = table_find(job->req->tables, w, job->req->account, job->req->region,
                               job->name, &t, NULL, err);

    if (found <= 0)
        return found < 0 ? -1 : missing_table(job->missing, job->name, err);
    def = json_deep_copy(t->def);
    rc = job->fn(job, t, def, err);
    if (rc == 0 && !job->unchanged)
        rc = table_save_definition(w, t->id, def, err);
    json_decref(def);
    table_release(t);
    return rc;
}

/* Reads table `name` (a read, no write): *t to release, or the operation's missing-table error. */
static int read_table(struct request *req, const char *name, enum err_code missing,
                      struct table **t, struct err *err)
{
    int found = table_find(req->tables, req->db, req->account, req->region, name, t, NULL, err);
    if (found <= 0)
        return found < 0 ? -1 : missing_table(missing, name, err);
    return 0;
}

/* ---- point-in-time recovery ---------------------------------------------------------------- */

static json_t *continuous_backups(const json_t *def)
{
    const json_t *pitr = json_object_get(def, "PointInTimeRecovery");
    double enabled, latest;
    json_t *d;
    if (pitr == NULL)
        return json_pack("{s:{s:s,s:{s:s}}}", "ContinuousBackupsDescription",
                         "ContinuousBackupsStatus", "ENABLED", "PointInTimeRecoveryDescription",
                         "PointInTimeRecoveryStatus", "DISABLED");
    /* the window opens when recovery was enabled; its end is DynamoDB's: five minutes ago, but
     * never before the start (nothing is kept for a restore here) */
    enabled = json_number_value(json_object_get(pitr, "EnabledDateTime"));
    latest = time_ms_to_epoch(time_now_ms() - 300 * 1000);
    d = json_pack("{s:s,s:O,s:O,s:f}", "PointInTimeRecoveryStatus", "ENABLED",
                  "RecoveryPeriodInDays", json_object_get(pitr, "RecoveryPeriodInDays"),
                  "EarliestRestorableDateTime", json_object_get(pitr, "EnabledDateTime"),
                  "LatestRestorableDateTime", latest > enabled ? latest : enabled);
    return json_pack("{s:{s:s,s:o}}", "ContinuousBackupsDescription", "ContinuousBackupsStatus",
                     "ENABLED", "PointInTimeRecoveryDescription", d);
}

static int set_pitr(struct setting_job *job, const struct table *t, json_t *def, struct err *err)
{
    const json_t *spec = job->arg;
    const json_t *days = json_object_get(spec, "RecoveryPeriodInDays");
    int enable = json_is_true(json_object_get(spec, "PointInTimeRecoveryEnabled"));
    (void)t;
    if (!enable && days != NULL)
        return err_set(err, ERR_VALIDATION, "Invalid Request: Cannot specify RecoveryPeriodInDays "
                       "when disabling point-in-time recovery.");
    if (!enable) {
        json_object_del(def, "PointInTimeRecovery");
    } else {
        json_t *was = json_object_get(def, "PointInTimeRecovery");
        json_t *when = was != NULL ? json_incref(json_object_get(was, "EnabledDateTime"))
                                   : json_real(time_ms_to_epoch(time_now_ms()));
        json_object_set_new(def, "PointInTimeRecovery",
                            json_pack("{s:o,s:I}", "EnabledDateTime", when, "RecoveryPeriodInDays",
                                      (json_int_t)(days != NULL ? json_integer_value(days)
                                                                : PITR_DEFAULT_DAYS)));
    }
    job->result = continuous_backups(def);
    return 0;
}

int op_update_continuous_backups(struct request *req, json_t **out, struct err *err)
{
    struct setting_job job = {
        .req = req, .missing = ERR_TABLE_NOT_FOUND, .fn = set_pitr,
        .name = table_name_of(str_field(req->body, "TableName")),
        .arg = json_object_get(req->body, "PointInTimeRecoverySpecification"),
    };
    if (store_write(req->store, apply_setting, &job, err) < 0) {
        json_decref(job.result);        /* made before a failed save or commit */
        return -1;
    }
    *out = job.result;
    return 0;
}

int op_describe_continuous_backups(struct request *req, json_t **out, struct err *err)
{
    struct table *t = NULL;
    if (read_table(req, table_name_of(str_field(req->body, "TableName")), ERR_TABLE_NOT_FOUND, &t,
                   err) < 0)
        return -1;
    *out = continuous_backups(t->def);
    table_release(t);
    return 0;
}

/* ---- Contributor Insights ------------------------------------------------------------------ */

/* The definition's setting for the table ("" key) or one of its GSIs: {Status, Mode,
 * LastUpdateDateTime}, kept once configured (a disabled one still names its mode and time). */
static const json_t *insights_of(const json_t *def, const char *index)
{
    return json_object_get(json_object_get(def, "ContributorInsights"), index ? index : "");
}

static const char *insights_status(const json_t *setting)
{
    return setting != NULL ? str_field(setting, "Status") : "DISABLED";
}

/* A ContributorInsightsSummary: name, index, status and (once configured) mode. */
static json_t *insights_summary(const char *table, const char *index, const json_t *setting)
{
    json_t *s = json_pack("{s:s}", "TableName", table);
    if (index != NULL)
        json_object_set_new(s, "IndexName", json_string(index));
    json_object_set_new(s, "ContributorInsightsStatus", json_string(insights_status(setting)));
    if (setting != NULL)
        json_object_set(s, "ContributorInsightsMode", json_object_get(setting, "Mode"));
    return s;
}

/* An IndexName must name a GSI of the table (an LSI has no insights of its own). */
static int check_insights_index(const struct table *t, const char *index, struct err *err)
{
    const struct table_index *ix = index != NULL ? table_index_find(t, index) : NULL;
    if (index != NULL && (ix == NULL || !ix->global))
        return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Index: %s not "
                       "found for table: %s", index, t->name);
    return 0;
}

/* ENABLE answers ENABLING unless it changes nothing (already ENABLED in that mode: ENABLED);
 * DISABLE answers DISABLING, or DISABLED when already so. Both settle at once here. */
static int set_insights(struct setting_job *job, const struct table *t, json_t *def,
                        struct err *err)
{
    const char *index = str_field(job->arg, "IndexName");
    const int enable = strcmp(str_field(job->arg, "ContributorInsightsAction"), "ENABLE") == 0;
    const char *mode = str_field(job->arg, "ContributorInsightsMode");
    const json_t *was = insights_of(def, index);
    char was_mode_buf[64];
    const char *was_mode = NULL;
    int was_enabled = strcmp(insights_status(was), "ENABLED") == 0;
    const char *answer;
    json_t *all;

    if (check_insights_index(t, index, err) < 0)
        return -1;
    if (was != NULL && str_field(was, "Mode") != NULL) {   /* a copy: `was` is replaced below */
        snprintf(was_mode_buf, sizeof was_mode_buf, "%s", str_field(was, "Mode"));
        was_mode = was_mode_buf;
    }
    if (mode == NULL)
        mode = enable ? "ACCESSED_AND_THROTTLED_KEYS" : was_mode;
    if (enable)
        answer = was_enabled && strcmp(was_mode, mode) == 0 ? "ENABLED" : "ENABLING";
    else
        answer = was_enabled ? "DISABLING" : "DISABLED";
    if ((enable && strcmp(answer, "ENABLED") == 0) || (!enable && !was_enabled)) {
        job->unchanged = 1;
    } else {
        if ((all = json_object_get(def, "ContributorInsights")) == NULL) {
            all = json_object();
            json_object_set_new(def, "ContributorInsights", all);
        }
        json_object_set_new(all, index ? index : "",
                            json_pack("{s:s,s:s,s:f}", "Status", enable ? "ENABLED" : "DISABLED",
                                      "Mode", enable ? mode : was_mode, "LastUpdateDateTime",
                                      time_ms_to_epoch(time_now_ms())));
    }
    job->result = json_pack("{s:s}", "TableName", t->name);
    if (index != NULL)
        json_object_set_new(job->result, "IndexName", json_string(index));
    json_object_set_new(job->result, "ContributorInsightsStatus", json_string(answer));
    /* DISABLE echoes the mode in force, not one it was sent */
    if ((enable ? mode : was_mode) != NULL)
        json_object_set_new(job->result, "ContributorInsightsMode",
                            json_string(enable ? mode : was_mode));
    return 0;
}

int op_update_contributor_insights(struct request *req, json_t **out, struct err *err)
{
    struct setting_job job = {
        .req = req, .missing = ERR_RESOURCE_NOT_FOUND, .fn = set_insights,
        .name = table_name_of(str_field(req->body, "TableName")), .arg = req->body,
    };
    if (store_write(req->store, apply_setting, &job, err) < 0) {
        json_decref(job.result);
        return -1;
    }
    *out = job.result;
    return 0;
}

/* The CloudWatch rules of an enabled setting: partition-key (and, with a sort key, sort-key)
 * rules for accessed keys and for throttled keys, named with the enabling time. */
static json_t *insights_rules(const struct table *t, const char *index, const json_t *setting)
{
    static const char *const kinds[] = {"PKC", "SKC", "PKT", "SKT"};
    const char *range = index != NULL ? table_index_find(t, index)->range.name : t->range.name;
    int throttled_only = strcmp(str_field(setting, "Mode"), "THROTTLED_KEYS") == 0;
    long long ms = (long long)(json_number_value(json_object_get(setting, "LastUpdateDateTime")) *
                               1000 + 0.5);
    json_t *rules = json_array();
    char rule[600];
    for (int i = 0; i < 4; i++) {
        if ((kinds[i][0] == 'S' && range == NULL) || (throttled_only && kinds[i][2] == 'C'))
            continue;
        snprintf(rule, sizeof rule, "DynamoDBContributorInsights-%s-%s%s%s-%lld", kinds[i], t->name,
                 index ? "-" : "", index ? index : "", ms);
        json_array_append_new(rules, json_string(rule));
    }
    return rules;
}

int op_describe_contributor_insights(struct request *req, json_t **out, struct err *err)
{
    const char *index = str_field(req->body, "IndexName");
    const json_t *setting;
    struct table *t = NULL;

    if (read_table(req, table_name_of(str_field(req->body, "TableName")), ERR_RESOURCE_NOT_FOUND,
                   &t, err) < 0)
        return -1;
    if (check_insights_index(t, index, err) < 0) {
        table_release(t);
        return -1;
    }
    setting = insights_of(t->def, index);
    *out = json_pack("{s:s}", "TableName", t->name);
    if (index != NULL)
        json_object_set_new(*out, "IndexName", json_string(index));
    if (strcmp(insights_status(setting), "ENABLED") == 0)
        json_object_set_new(*out, "ContributorInsightsRuleList", insights_rules(t, index, setting));
    json_object_set_new(*out, "ContributorInsightsStatus", json_string(insights_status(setting)));
    if (setting != NULL) {
        json_object_set(*out, "LastUpdateDateTime", json_object_get(setting, "LastUpdateDateTime"));
        json_object_set(*out, "ContributorInsightsMode", json_object_get(setting, "Mode"));
    }
    table_release(t);
    return 0;
}

struct insights_list {
    struct request *req;
    const char *only;               /* TableName filter, or NULL */
    json_t *summaries;
    struct err *err;
};

/* Lists a table's and its GSIs' settings that are not DISABLED (DynamoDB's filter). */
static int list_insights_of(void *arg, const char *name)
{
    struct insights_list *l = arg;
    struct table *t = NULL;
    const char *key;
    json_t *setting;

    if (l->only != NULL && strcmp(l->only, name) != 0)
        return 0;
    if (table_find(l->req->tables, l->req->db, l->req->account, l->req->region, name, &t, NULL,
                   l->err) <= 0)
        return err_isset(l->err) ? 1 : 0;
    json_object_foreach(json_object_get(t->def, "ContributorInsights"), key, setting) {
        const struct table_index *ix = key[0] ? table_index_find(t, key) : NULL;
        if (key[0] && (ix == NULL || !ix->global))
            continue;               /* the setting of a GSI deleted since: gone with it */
        if (strcmp(insights_status(setting), "DISABLED") != 0)
            json_array_append_new(l->summaries, insights_summary(name, key[0] ? key : NULL,
                                                                 setting));
    }
    table_release(t);
    return 0;
}

int op_list_contributor_insights(struct request *req, json_t **out, struct err *err)
{
    struct insights_list l = {req, table_name_of(str_field(req->body, "TableName")), json_array(),
                              err};
    if (l.only != NULL) {
        struct table *t = NULL;
        if (read_table(req, l.only, ERR_RESOURCE_NOT_FOUND, &t, err) < 0) {
            json_decref(l.summaries);
            return -1;
        }
        table_release(t);
    }
    if (store_table_names(req->db, req->account, req->region, NULL, list_insights_of, &l,
                          err) < 0 || err_isset(err)) {
        json_decref(l.summaries);
        return -1;
    }
    /* MaxResults pages the list; NextToken is the position of the next summary */
    {
        const char *token = str_field(req->body, "NextToken");
        const json_t *max = json_object_get(req->body, "MaxResults");
        size_t n = json_array_size(l.summaries), from = 0, count;
        char *end = NULL;
        json_t *page;
        if (token != NULL) {
            unsigned long long v = strtoull(token, &end, 10);
            if (end == token || *end != '\0' || v > n) {
                json_decref(l.summaries);
                return err_set(err, ERR_VALIDATION, "Invalid NextToken: %s", token);
            }
            from = (size_t)v;
        }
        count = max != NULL && json_integer_value(max) > 0 ? (size_t)json_integer_value(max) : n;
        page = json_array();
        for (size_t i = from; i < n && i < from + count; i++)
            json_array_append(page, json_array_get(l.summaries, i));
        *out = json_pack("{s:o}", "ContributorInsightsSummaries", page);
        if (from + count < n) {
            char next[32];
            snprintf(next, sizeof next, "%zu", from + count);
            json_object_set_new(*out, "NextToken", json_string(next));
        }
    }
    json_decref(l.summaries);
    return 0;
}

/* ---- resource-based policies --------------------------------------------------------------- */

/* ResourceArn: a table's ARN, or its stream's (".../stream/<label>"), of this region. Sets the
 * table name (a copy in buf) and *stream to the label or NULL. Other forms get DynamoDB's words. */
static int parse_resource_arn(const struct request *req, const char *arn, char *buf, size_t size,
                              const char **stream, struct err *err)
{
    char prefix[160];
    const char *t, *slash;
    size_t n;
    if (strncmp(arn, "arn:", 4) != 0)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: ARNs must "
                       "start with 'arn:': %s", arn);
    t = strstr(arn, ":table/");
    snprintf(prefix, sizeof prefix, "arn:aws:dynamodb:%s:", req->arn_region);
    if (t == NULL || strncmp(arn, prefix, strlen(prefix)) != 0)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Invalid "
                       "resource Arn: %s", arn);
    t += 7;
    slash = strchr(t, '/');
    n = slash != NULL ? (size_t)(slash - t) : strlen(t);
    if (slash != NULL && strncmp(slash, "/index/", 7) == 0)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Invalid "
                       "resource arn provided, only table or stream is accepted. Provided resource "
                       "arn: %s", arn);
    if (n == 0 || n >= size ||
        (slash != NULL && (strncmp(slash, "/stream/", 8) != 0 || slash[8] == '\0')))
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Provided "
                       "Arn is not a DynamoDB resource arn: %s", arn);
    memcpy(buf, t, n);
    buf[n] = '\0';
    *stream = slash != NULL ? slash + 8 : NULL;
    return 0;
}

static const char *policy_key(const char *stream)
{
    return stream != NULL ? "StreamResourcePolicy" : "ResourcePolicy";
}

static int policy_not_found(const char *arn, struct err *err)
{
    return err_set(err, ERR_POLICY_NOT_FOUND,
                   "Resource-based policy not found for the provided ResourceArn: %s", arn);
}

/* A stream ARN must name the table's current stream. */
static int check_stream(const struct table *t, const char *stream, const char *arn,
                        struct err *err)
{
    const char *label = str_field(t->def, "LatestStreamLabel");
    (void)arn;
    if (stream != NULL && (label == NULL || strcmp(label, stream) != 0))
        return err_set(err, ERR_RESOURCE_NOT_FOUND, "Requested resource not found: Stream: %s not "
                       "found for Table: %s", stream, t->name);
    return 0;
}

static int check_expected_revision(const json_t *current, const char *expected, const char *arn,
                                   const char *table, struct err *err)
{
    const char *have = str_field(current, "RevisionId");
    if (expected == NULL)
        return 0;
    if (strcmp(expected, "NO_POLICY") == 0) {
        if (current == NULL)
            return 0;
        return err_set(err, ERR_POLICY_NOT_FOUND, "Resource-based policy not found for the "
                       "provided ResourceArn: Requested policy update expecting none to be "
                       "present for table %s, but a policy exists with revision id %s.", table,
                       have);
    }
    if (current == NULL)
        return err_set(err, ERR_POLICY_NOT_FOUND, "Resource-based policy not found for the "
                       "provided ResourceArn: Requested update for policy with revision id %s, but "
                       "table %s has no associated policy.", expected, table);
    if (strcmp(expected, have) != 0)
        return err_set(err, ERR_POLICY_NOT_FOUND, "Resource-based policy not found for the "
                       "provided ResourceArn: Requested update for policy with revision id %s, but "
                       "the policy associated to target table %s has revision id %s.", expected,
                       table, have);
    return 0;
}

#define POLICY_INVALID "One or more parameter values were invalid: Invalid policy document: "

/* The checks of a policy document that need no IAM: size, JSON, statements with Effect and
 * Resource, unique Sids, and no Allow to everyone (DynamoDB's words, 2026 captures). */
int table_settings_check_policy(const char *policy, struct err *err)
{
    json_t *doc, *statements, *st, *sids;
    size_t i;
    int rc = -1;

    if (strlen(policy) > 20480)
        return err_set(err, ERR_VALIDATION, "One or more parameter values were invalid: Maximum "
                       "policy size of 20480 bytes exceeded");
    doc = json_loads(policy, JSON_DECODE_ANY, NULL);
    if (doc == NULL || json_is_array(doc) || (!json_is_object(doc) && !json_is_null(doc))) {
        json_decref(doc);
        return err_set(err, ERR_VALIDATION, POLICY_INVALID "This policy contains invalid Json");
    }
    if (json_is_null(doc)) {
        json_decref(doc);
        return err_set(err, ERR_VALIDATION, POLICY_INVALID "This text appears not to be a policy");
    }
    statements = json_object_get(doc, "Statement");
    if (json_is_object(statements)) {
        statements = json_pack("[O]", statements);
        json_object_set_new(doc, "Statement", statements);
    }
    if (!json_is_array(statements)) {
        err_set(err, ERR_VALIDATION, POLICY_INVALID "Syntax error at position (1,%d)",
                (int)strlen(policy));
        goto out;
    }
    if (json_array_size(statements) == 0) {
        err_set(err, ERR_VALIDATION,
                POLICY_INVALID "Could not parse the policy: Statement is empty!");
        goto out;
    }
    sids = json_object();
    json_array_foreach(statements, i, st) {
        const char *sid = str_field(st, "Sid"), *effect = str_field(st, "Effect");
        const json_t *principal = json_object_get(st, "Principal");
        const char *aws = str_field(principal, "AWS");
        if (effect == NULL)
            err_set(err, ERR_VALIDATION, POLICY_INVALID "Missing required field Effect");
        else if (json_object_get(st, "Resource") == NULL)
            err_set(err, ERR_VALIDATION, POLICY_INVALID "Missing required field Resource");
        else if (sid != NULL && json_object_get(sids, sid) != NULL)
            err_set(err, ERR_VALIDATION, POLICY_INVALID "The Statement Ids in the policy are not "
                    "unique");
        else if (strcasecmp(effect, "Allow") == 0 &&
                 ((json_is_string(principal) && strcmp(json_string_value(principal), "*") == 0) ||
                  (aws != NULL && strcmp(aws, "*") == 0)))
            err_set(err, ERR_VALIDATION, "Resource-based policy grants unbounded access in one or "
                    "more elements. Please revise the policy to ensure least-privilege form of "
                    "access");
        if (err_isset(err))
            break;
        if (sid != NULL)
            json_object_set_new(sids, sid, json_true());
    }
    json_decref(sids);
    rc = err_isset(err) ? -1 : 0;
out:
    json_decref(doc);
    return rc;
}

static int put_policy(struct setting_job *job, const struct table *t, json_t *def, struct err *err)
{
    const char *arn = str_field(job->arg, "ResourceArn");
    const char *policy = str_field(job->arg, "Policy");
    const char *stream = job->text;
    json_t *current = json_object_get(def, policy_key(stream));
    char revision[32];

    if (check_stream(t, stream, arn, err) < 0 ||
        check_expected_revision(current, str_field(job->arg, "ExpectedRevisionId"), arn, t->name,
                                err) < 0)
        return -1;
    if (table_settings_check_policy(policy, err) < 0)
        return -1;
    if (current != NULL && strcmp(str_field(current, "Policy"), policy) == 0) {
        job->unchanged = 1;             /* the same document again: a no-op, the same revision */
        snprintf(revision, sizeof revision, "%s", str_field(current, "RevisionId"));
    } else {
        /* DynamoDB's revision ids are the epoch milliseconds of the change, strictly increasing */
        long long now = (long long)time_now_ms();
        long long last = current != NULL ? atoll(str_field(current, "RevisionId")) : 0;
        snprintf(revision, sizeof revision, "%lld", now > last ? now : last + 1);
        json_object_set_new(def, policy_key(stream), json_pack("{s:s,s:s}", "Policy", policy,
                                                               "RevisionId", revision));
    }
    job->result = json_pack("{s:s}", "RevisionId", revision);
    return 0;
}

static int delete_policy(struct setting_job *job, const struct table *t, json_t *def,
                         struct err *err)
{
    const char *arn = str_field(job->arg, "ResourceArn");
    const char *stream = job->text;
    json_t *current = json_object_get(def, policy_key(stream));

    if (check_stream(t, stream, arn, err) < 0 ||
        check_expected_revision(current, str_field(job->arg, "ExpectedRevisionId"), arn, t->name,
                                err) < 0)
        return -1;
    if (current == NULL) {
        job->unchanged = 1;
        job->result = json_object();         /* no policy: nothing to delete, no error */
        return 0;
    }
    job->result = json_pack("{s:O}", "RevisionId", json_object_get(current, "RevisionId"));
    json_object_del(def, policy_key(stream));
    return 0;
}

static int policy_write(struct request *req, int (*fn)(struct setting_job *, const struct table *,
                                                       json_t *, struct err *),
                        json_t **out, struct err *err)
{
    char table[300];
    const char *stream;
    struct setting_job job = {.req = req, .missing = ERR_RESOURCE_NOT_FOUND, .fn = fn,
                              .arg = req->body, .name = table};

    if (parse_resource_arn(req, str_field(req->body, "ResourceArn"), table, sizeof table, &stream,
                           err) < 0)
        return -1;
    job.text = stream;
    if (store_write(req->store, apply_setting, &job, err) < 0) {
        json_decref(job.result);
        return -1;
    }
    *out = job.result;
    return 0;
}

int op_put_resource_policy(struct request *req, json_t **out, struct err *err)
{
    return policy_write(req, put_policy, out, err);
}

int op_delete_resource_policy(struct request *req, json_t **out, struct err *err)
{
    return policy_write(req, delete_policy, out, err);
}

int op_get_resource_policy(struct request *req, json_t **out, struct err *err)
{
    const char *arn = str_field(req->body, "ResourceArn"), *stream;
    char name[300];
    struct table *t = NULL;
    const json_t *policy;
    int rc = -1;

    if (parse_resource_arn(req, arn, name, sizeof name, &stream, err) < 0 ||
        read_table(req, name, ERR_RESOURCE_NOT_FOUND, &t, err) < 0)
        return -1;
    if (check_stream(t, stream, arn, err) < 0)
        goto done;
    policy = json_object_get(t->def, policy_key(stream));
    if (policy == NULL) {
        policy_not_found(arn, err);
        goto done;
    }
    *out = json_pack("{s:O,s:O}", "Policy", json_object_get(policy, "Policy"), "RevisionId",
                     json_object_get(policy, "RevisionId"));
    rc = 0;
done:
    table_release(t);
    return rc;
}
