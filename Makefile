# dynastream — build, run, test and benchmark.
#   make          build build/dynastream and build/dynastream-replicator (optimised)
#   make run      install what is missing, build, start the server with the bundled replicator
#   make test     install what is missing, build with sanitizers, run every test
#   make bench    benchmarks against DynamoDB Local and an HTTP ceiling probe (see bench/)
#   make demo     the workshop exercise with the AWS CLI
.DEFAULT_GOAL := all
.PHONY: all deps run test unit api cli bench demo clean check-layers fuzz

CC      ?= cc
PYTHON  := /usr/bin/python3
PORT    ?= 8000
WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CPPFLAGS := -iquote server -iquote server/ops -iquote build/gen -D_GNU_SOURCE
LIBS    := -lsqlite3 -lmicrohttpd -ljansson -lcrypto -lz -lpthread -lm

SERVER_SRCS := $(sort $(wildcard server/*.c server/ops/*.c server/expr/*.c))
# replicator/: the core and the bundled (in-process) mapping link into the server; the standalone
# CLI's own files (REPL_CLI_SRCS) go into build/dynastream-replicator only.
REPL_CLI_SRCS := replicator/main.c replicator/source_http.c replicator/client.c replicator/checkpoint.c
REPL_SRCS   := $(filter-out $(REPL_CLI_SRCS),$(sort $(wildcard replicator/*.c)))
LIB_SRCS    := $(filter-out server/main.c,$(SERVER_SRCS)) $(REPL_SRCS) build/gen/schema_sql.c
UNIT_SRCS   := $(sort $(wildcard tests/unit/*.c))

REL_CFLAGS  := -std=c11 -O2 -g $(WARN)
ASAN_CFLAGS := -std=c11 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined $(WARN)

REL_LIB_OBJS  := $(patsubst %.c,build/rel/%.o,$(LIB_SRCS))
ASAN_LIB_OBJS := $(patsubst %.c,build/asan/%.o,$(LIB_SRCS))
UNIT_OBJS     := $(patsubst %.c,build/asan/%.o,$(UNIT_SRCS))

all: build/dynastream build/dynastream-replicator

# The schema is compiled into the binary so that it runs from anywhere.
build/gen/schema_sql.c: $(sort $(wildcard schema/*.sql)) scripts/embed-schema.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-schema.sh $(sort $(wildcard schema/*.sql)) > $@

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(REL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ASAN_CFLAGS) -iquote tests/unit -MMD -MP -c $< -o $@

build/dynastream: $(REL_LIB_OBJS) build/rel/server/main.o
	$(CC) $(REL_CFLAGS) $^ -o $@ $(LIBS)

build/asan/dynastream: $(ASAN_LIB_OBJS) build/asan/server/main.o
	$(CC) $(ASAN_CFLAGS) $^ -o $@ $(LIBS)

build/asan/unit_tests: $(ASAN_LIB_OBJS) $(UNIT_OBJS)
	$(CC) $(ASAN_CFLAGS) $^ -o $@ $(LIBS)

# The standalone replicator: the core, its HTTP transport and checkpoint file, and the few pure or
# leaf server modules they use (no MHD, no server store). The ASan build is what the API tests run.
REPL_BIN_SRCS := replicator/core.c $(REPL_CLI_SRCS) server/errors.c server/log.c server/timeutil.c \
                 server/sigv4.c
REPL_BIN_LIBS := -lsqlite3 -ljansson -lcrypto -lz -lpthread -lm

build/dynastream-replicator: $(patsubst %.c,build/rel/%.o,$(REPL_BIN_SRCS))
	$(CC) $(REL_CFLAGS) $^ -o $@ $(REPL_BIN_LIBS)

build/asan/dynastream-replicator: $(patsubst %.c,build/asan/%.o,$(REPL_BIN_SRCS))
	$(CC) $(ASAN_CFLAGS) $^ -o $@ $(REPL_BIN_LIBS)

-include $(shell find build -name '*.d' 2>/dev/null)

deps:
	@sh scripts/install-deps.sh

run: deps all
	@mkdir -p data
	./build/dynastream --port $(PORT) --db-path ./data --replicate logfile=logfile_replica

unit: build/asan/unit_tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./build/asan/unit_tests

api: build/asan/dynastream build/dynastream build/asan/dynastream-replicator build/dynastream-replicator
	$(PYTHON) -m pytest -q tests/api

cli: build/dynastream
	sh tests/cli/smoke.sh

# One summary line at the very end, whatever failed on the way (see scripts/run-tests.sh).
test: deps
	@sh scripts/run-tests.sh

check-layers:
	@sh scripts/check-layers.sh

bench: deps all
	@sh bench/run.sh

# The workshop exercise with the AWS CLI against a server of its own (DEMO_ROWS=BASE,STREAM shrinks it).
demo: deps all
	@sh tests/cli/demo.sh

# Fuzzing (not part of make test): the expression parser and evaluator under libFuzzer, for
# FUZZ_SECONDS (default 600). See fuzz/README.
FUZZ_SECONDS ?= 600
fuzz:
	@mkdir -p build/fuzz-corpus
	clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -iquote server server/errors.c server/number.c \
	    server/value.c server/expr/*.c fuzz/fuzz_expr.c -o build/fuzz_expr -ljansson -lm
	build/fuzz_expr -max_total_time=$(FUZZ_SECONDS) -max_len=4200 -dict=fuzz/expr.dict build/fuzz-corpus

clean:
	rm -rf build
