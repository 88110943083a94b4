/* schema_sql.h — the SQL schema and its migrations, compiled in from schema/NNN_*.sql by
 * scripts/embed-schema.sh. Version N's script upgrades a database at version N-1 to N. */
#ifndef DYNASTREAM_SCHEMA_SQL_H
#define DYNASTREAM_SCHEMA_SQL_H

struct schema_migration {
    int version;        /* the NNN of NNN_name.sql; 0 ends the array */
    const char *file;   /* file name, for logs */
    const char *sql;    /* the script */
};

extern const struct schema_migration schema_migrations[];

#endif
