#!/bin/sh
# check-layers.sh — enforces the one-way dependencies of STYLE.md with a grep over #includes:
# only http.c and the bench probe include microhttpd.h, only store*.c include sqlite3.h, the
# pure leaves (number, keycodec, value, sigv4, expr/*) include nothing of ours but errors/limits
# and each other, nothing below dispatch includes http.h or dispatch.h, and replicator/ never
# includes store.h (it goes through dispatch_call or HTTP).
set -u
cd "$(dirname "$0")/.."
bad=0
complain() { echo "layer violation: $*"; bad=1; }

for f in $(grep -l '#include <microhttpd.h>' server -r); do
    [ "$f" = server/http.c ] || complain "$f includes microhttpd.h"
done
for f in $(grep -l '#include <sqlite3.h>' server -r); do
    case "$f" in server/store*.c|server/store*.h) ;; *) complain "$f includes sqlite3.h" ;; esac
done
for f in server/number.c server/keycodec.c server/value.c server/number.h server/keycodec.h server/value.h; do
    [ -f "$f" ] || continue
    grep -o '#include "[^"]*"' "$f" | grep -v -E '"(errors|limits|number|keycodec|value)\.h"' |
        sed "s|^|$f: |" | while read -r l; do echo "layer violation: $l"; done | grep . && bad=1
done
for f in $(ls server/ops/*.c server/store*.c server/table.c server/key.c 2>/dev/null); do
    grep -q -E '#include "(\.\./)?(http|dispatch)\.h"' "$f" && complain "$f includes http.h/dispatch.h"
done
# the replicator uses the public operation entry point (dispatch_call) or HTTP, never the store
for f in $(ls replicator/*.c replicator/*.h 2>/dev/null); do
    grep -q -E '#include "(\.\./server/)?store(_internal)?\.h"' "$f" && complain "$f includes store.h"
done
[ $bad -eq 0 ] && echo "layers: ok"
exit $bad
