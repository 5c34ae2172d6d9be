# rta: real-time event analytics as Unix filters.
#
#   make            build the programs and librta.a into build/
#   make check      build and run every test (unit, command, fuzz corpus)
#   make demo       install missing build dependencies, build, run the demo
#   make serve      the demo's dashboard on localhost (demo-live feeds it)
#   make bench      measure rta against jq, jansson and C baselines
#   make fuzz       run the libFuzzer targets (clang) for FUZZ_TIME seconds
#   make soak       the store's crash test at 1,000 kill -9 cycles, and
#                   1,000 mutated streams through the whole pipeline
#   make install    PREFIX=/usr/local (DESTDIR honoured)
#
# Variables: SANITIZE=1 builds with ASan+UBSan into build-san/; WERROR=1
# turns warnings into errors (CI sets both, in two runs).

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
LIBDIR	?= $(PREFIX)/lib
INCDIR	?= $(PREFIX)/include/rta
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share

CC	?= cc
AR	?= ar
VERSION	:= $(shell sed -n 's/^\#define RTA_VERSION[^"]*"\(.*\)"/\1/p' lib/rta_version.h)

ifeq ($(SANITIZE),1)
B	?= build-san
OPT	?= -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
B	?= build
OPT	?= -O2 -g
SANFLAGS :=
endif

# GCC expands memcpy of lengths it knows to be small (our u8 id lengths)
# into `rep movs`, which is slow to start; calling memcpy is faster.
ARCHFLAGS := $(shell $(CC) -mstringop-strategy=libcall -E -x c /dev/null \
	>/dev/null 2>&1 && echo -mstringop-strategy=libcall)

# Link-time optimisation inlines across modules (the record loop calls
# through reader, frame, value and output): about 5% on every codec path.
# GCC only, with fat objects so librta.a also links without LTO.
ifneq ($(SANITIZE),1)
ifneq ($(shell $(CC) -v 2>&1 | grep -c '^gcc version'),0)
LTO	:= -flto=auto -ffat-lto-objects
AR	:= gcc-ar
endif
endif

WARN	:= -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN	+= -Werror
endif

PKGS		:= libarchive libzstd nettle
PKG_CFLAGS	:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
CHECK_CFLAGS	:= $(shell pkg-config --cflags check jansson 2>/dev/null)
CHECK_LIBS	:= $(shell pkg-config --libs check jansson 2>/dev/null)

ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) $(ARCHFLAGS) \
	$(LTO) $(SANFLAGS) \
	-Ilib $(PKG_CFLAGS) $(CFLAGS)
# --as-needed: a program records only the libraries it calls, so those
# that never write archives do not load libarchive at start (the input
# layer loads it on demand: lib/rta_libarchive.h).
ALL_LDFLAGS = $(LTO) $(SANFLAGS) -Wl,--as-needed $(LDFLAGS)

LIB_SRC	:= $(sort $(wildcard lib/*.c))
LIB_HDR	:= $(sort $(wildcard lib/*.h))
LIB_OBJ	:= $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
CMD_SRC	:= $(sort $(wildcard cmd/rta-*.c))
PROGS	:= $(CMD_SRC:cmd/%.c=$(B)/%)
UNIT_SRC := $(sort $(wildcard tests/unit/check_*.c))
UNITS	:= $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/%.c=%)
MAN1	:= $(sort $(wildcard man/*.1))
MAN5	:= $(sort $(wildcard man/*.5))
MAN7	:= $(sort $(wildcard man/*.7))

.PHONY: soak all check check-unit check-cmd check-fuzz check-examples check-meta \
	clean install uninstall deps demo demo-live serve bench fuzz lint FORCE

all: $(PROGS) $(B)/librta.a $(B)/rta.pc

$(B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/librta.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/rta-%: $(B)/cmd/rta-%.o $(B)/librta.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/librta.a $(PKG_LIBS)

# rta-query --http serves its dashboard, cmd/rta-query-dashboard.html, from
# the program itself: the page's bytes become a C array (od, no tool of
# our own), so that nothing is read from disk at run time.
$(B)/gen/rta-query-dashboard.c: cmd/rta-query-dashboard.html
	@mkdir -p $(@D)
	od -An -v -tx1 <$< >$@.hex
	{ echo '/* Generated from $< by make: do not edit. */'; \
	    echo '#include <stddef.h>'; \
	    echo 'extern const unsigned char rta_dashboard_html[];'; \
	    echo 'extern const size_t rta_dashboard_html_len;'; \
	    echo 'const unsigned char rta_dashboard_html[] = {'; \
	    sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' $@.hex; \
	    echo '};'; \
	    echo 'const size_t rta_dashboard_html_len ='; \
	    echo '    sizeof(rta_dashboard_html);'; } >$@.tmp
	rm -f $@.hex
	mv $@.tmp $@

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/rta-query: $(B)/cmd/rta-query.o $(B)/gen/rta-query-dashboard.o \
    $(B)/librta.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(B)/cmd/rta-query.o \
	    $(B)/gen/rta-query-dashboard.o $(B)/librta.a $(PKG_LIBS)

# Rewritten on every run: it records PREFIX, which install may change.
# librta is a static library, so its dependencies are in Libs, not private.
$(B)/rta.pc: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' \
	    'includedir=$(INCDIR)' '' 'Name: rta' \
	    'Description: real-time event analytics: event stream codecs, producer API' \
	    'Version: $(VERSION)' 'Requires: libarchive libzstd nettle' \
	    'Libs: -L$${libdir} -lrta -lcsv -lm' \
	    'Cflags: -I$${includedir}' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

FORCE:

# Keep test objects between runs (they are intermediate files otherwise).
.SECONDARY:

# ---- tests --------------------------------------------------------------

$(B)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Wno-missing-prototypes -MMD -MP \
	    -c $< -o $@

# Every suite links the helpers they share (tests/unit/unit.h).
UNIT_OBJ := $(B)/tests/unit.o

# Tests link without LTO: they call the allocator with absurd sizes on
# purpose, which GCC would flag once it can see through the call.
$(B)/tests/check_%: $(B)/tests/check_%.o $(UNIT_OBJ) $(B)/librta.a
	$(CC) $(filter-out $(LTO),$(ALL_LDFLAGS)) $(if $(LTO),-fno-lto) \
	    -o $@ $< $(UNIT_OBJ) $(B)/librta.a $(PKG_LIBS) $(CHECK_LIBS)

-include $(UNIT_OBJ:.o=.d)

check: check-unit check-cmd check-fuzz check-examples check-meta

# Every suite runs even when one fails, as many at a time as there are
# cores (JOBS), each suite's report printed whole, in order; the target
# fails at the end.
UNIT_OUT := $(B)/tests/results
check-unit: $(UNITS)
	@rm -rf $(UNIT_OUT) && mkdir -p $(UNIT_OUT) && \
	printf '%s\n' $(UNITS) | xargs -P "$${JOBS:-$$(nproc)}" -n 1 sh -c \
	    'o=$(UNIT_OUT)/$${1##*/}; \
	    CK_VERBOSITY=$${CK_VERBOSITY:-minimal} \
	    ASAN_OPTIONS=$${ASAN_OPTIONS:-exitcode=86} \
	    UBSAN_OPTIONS=$${UBSAN_OPTIONS:-exitcode=86:print_stacktrace=1} \
	    RTA_TEST_DATA=tests/unit/data "$$1" >"$$o" 2>&1; \
	    echo $$? >"$$o.status"' sh; \
	fail=; for t in $(UNITS); do o=$(UNIT_OUT)/$${t##*/}; cat "$$o"; \
	    [ "$$(cat "$$o.status" 2>/dev/null)" = 0 ] || \
	    fail="$$fail $${t##*/}"; \
	done; if [ -n "$$fail" ]; then echo "failed:$$fail"; exit 1; fi

# DuckDB and hyparquet, the independent Parquet readers the tests check
# the cold store's files with, pinned in tests/parquet/package-lock.json.
PQ_READERS := tests/parquet/node_modules/.package-lock.json
$(PQ_READERS): tests/parquet/package.json tests/parquet/package-lock.json
	cd tests/parquet && npm ci --no-audit --no-fund
	@touch $@

# playwright-core, which drives Debian's Chromium through the dashboard,
# pinned in tests/browser/package-lock.json; it must not fetch a browser.
BROWSER_DRIVER := tests/browser/node_modules/.package-lock.json
$(BROWSER_DRIVER): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
	    npm ci --no-audit --no-fund
	@touch $@

check-cmd: $(PROGS) $(B)/tests/rta-trickle $(B)/tests/mock-kafka $(PQ_READERS) \
    $(BROWSER_DRIVER)
	RTA_BIN=$(CURDIR)/$(B) RTA_TESTS=$(CURDIR)/tests sh tests/cmd/run.sh

check-examples: $(PROGS) $(B)/examples/producer $(B)/tests/mock-kafka
	RTA_BIN=$(CURDIR)/$(B) sh tests/cmd/examples.sh

check-meta: $(PROGS)
	RTA_BIN=$(CURDIR)/$(B) sh tests/cmd/meta.sh

$(B)/tests/rta-trickle: tests/cmd/trickle.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $<

# A Kafka cluster in a process of its own (librdkafka's mock brokers), for
# the tests that run kcat and the pipeline against the real protocol.
$(B)/tests/mock-kafka: tests/kafka/mock-kafka.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lrdkafka -lpthread

$(B)/examples/producer: examples/producer.c $(B)/librta.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(B)/librta.a \
	    $(PKG_LIBS)

# Fuzz targets: a plain driver replays the corpus under gcc with ASan and
# UBSan on every `make check`; `make fuzz` runs libFuzzer with clang.
FZ	:= $(B)/fuzz
FZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-Ilib $(PKG_CFLAGS) $(CHECK_CFLAGS)
FZ_LIB_OBJ := $(LIB_SRC:lib/%.c=$(FZ)/lib/%.o)

$(FZ)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(FZ_CFLAGS) -MMD -MP -c $< -o $@

$(FZ)/replay_%: tests/fuzz/%.c tests/fuzz/driver.c $(wildcard tests/fuzz/*.h) \
    $(FZ_LIB_OBJ)
	$(CC) $(FZ_CFLAGS) -o $@ tests/fuzz/$*.c tests/fuzz/driver.c \
	    $(FZ_LIB_OBJ) $(PKG_LIBS) $(CHECK_LIBS)

check-fuzz: $(FUZZ_NAMES:%=$(FZ)/replay_%)
	@set -e; for f in $(FUZZ_NAMES); do \
	    ASAN_OPTIONS=detect_leaks=1 $(FZ)/replay_$$f tests/fuzz/corpus/$$f; \
	    if $(FZ)/replay_$$f tests/fuzz/canary.bin >/dev/null 2>&1; then \
	        echo "$$f: the sanitizer canary was not caught"; exit 1; fi; \
	done; echo "fuzz corpus replay: $(words $(FUZZ_NAMES)) targets ok"

FUZZ_TIME ?= 60
FUZZ_CC	?= clang
FZC	:= build-fuzz
# Every target runs even if one finds a crash; reproducers land in
# build-fuzz/, and the target fails at the end.
fuzz:
	@mkdir -p $(FZC)
	@fail=; for f in $(FUZZ_NAMES); do \
	    $(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
	        -fno-sanitize-recover=undefined -std=c11 \
	        -D_POSIX_C_SOURCE=200809L -Ilib $(PKG_CFLAGS) $(CHECK_CFLAGS) \
	        -o $(FZC)/$$f tests/fuzz/$$f.c $(LIB_SRC) $(PKG_LIBS) \
	        $(CHECK_LIBS) || exit 1; \
	    mkdir -p $(FZC)/corpus-$$f; \
	    $(FZC)/$$f -max_total_time=$(FUZZ_TIME) -rss_limit_mb=512 \
	        -timeout=2 -print_final_stats=1 -artifact_prefix=$(FZC)/ \
	        $(FZC)/corpus-$$f tests/fuzz/corpus/$$f || fail="$$fail $$f"; \
	done; if [ -n "$$fail" ]; then echo "fuzz: crashes in$$fail"; exit 1; fi

# The store's crash test (tests/cmd/rta-store/crash.sh) at 1,000 cycles
# instead of make check's 200, then 1,000 mutated streams through the
# whole pipeline (tests/cmd/pipeline/mutation.sh; make check runs 40).
SOAK_CYCLES ?= 1000
soak: $(PROGS)
	@d=$$(mktemp -d "$${TMPDIR:-/tmp}/rta-soak.XXXXXX") && cd "$$d" && \
	    PATH="$(CURDIR)/$(B):$$PATH" LC_ALL=C TZ=UTC \
	    RTA_NOW=2026-11-26T10:00:00Z RTA_HASH_SEED=1 \
	    RTA_CRASH_CYCLES=$(SOAK_CYCLES) \
	    sh "$(CURDIR)/tests/cmd/rta-store/crash.sh" | tee soak.out && \
	    grep -q '^$(SOAK_CYCLES) cycles: 0 lost, 0 duplicated, 0 cuts unreported, 0 failed, 0 fsck not clean$$' soak.out && \
	    grep -q 'event ids once each$$' soak.out && \
	    { cd / && rm -rf "$$d"; echo "soak: ok"; } || \
	    { echo "soak: FAILED (kept $$d)"; exit 1; }
	@d=$$(mktemp -d "$${TMPDIR:-/tmp}/rta-soak.XXXXXX") && cd "$$d" && \
	    PATH="$(CURDIR)/$(B):$$PATH" LC_ALL=C TZ=UTC TESTS="$(CURDIR)/tests" \
	    RTA_NOW=2026-11-26T10:00:00Z RTA_HASH_SEED=1 PIPELINE_MUTANTS=1000 \
	    sh "$(CURDIR)/tests/cmd/pipeline/mutation.sh" | tee soak.out && \
	    grep -q '^1000 mutants through the pipeline: 1000 balanced, 0 failed$$' soak.out && \
	    { cd / && rm -rf "$$d"; echo "soak: pipeline mutants ok"; } || \
	    { echo "soak: pipeline mutants FAILED (kept $$d)"; exit 1; }

# The bench's anchor and load generator from Debian: Miller, and wrk for
# rta-query's HTTP cases.
bench: all
	@sh .ci/deps.sh miller wrk
	RTA_BIN=$(CURDIR)/$(B) sh tests/bench/run.sh

lint:
	mandoc -Tlint -Wwarning $(MAN1) $(MAN5) $(MAN7)

# ---- demo and dependencies ---------------------------------------------

deps:
	@sh .ci/deps.sh

demo: deps
	$(MAKE) all
	RTA_BIN=$(CURDIR)/$(B) sh examples/demo.sh

# The demo's store behind socat and rta-query --http (PORT, default 8080),
# and a paced live stream into it, for a dashboard that moves.
serve: all
	RTA_BIN=$(CURDIR)/$(B) sh examples/serve.sh

demo-live: all
	RTA_BIN=$(CURDIR)/$(B) sh examples/demo.sh --live

# ---- install ------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions \
	    $(DESTDIR)$(DATADIR)/zsh/site-functions \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	install -m 644 $(B)/librta.a $(DESTDIR)$(LIBDIR)
	install -m 644 $(B)/rta.pc $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 $(filter-out %_int.h,$(LIB_HDR)) $(DESTDIR)$(INCDIR)
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 completions/bash/rta \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/rta
	for p in $(notdir $(PROGS)); do \
	    ln -sf rta $(DESTDIR)$(DATADIR)/bash-completion/completions/$$p; \
	done
	install -m 644 completions/zsh/_rta $(DESTDIR)$(DATADIR)/zsh/site-functions
	install -m 644 completions/fish/*.fish \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d

uninstall:
	for p in $(notdir $(PROGS)); do rm -f $(DESTDIR)$(BINDIR)/$$p \
	    $(DESTDIR)$(MANDIR)/man1/$$p.1 \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/$$p \
	    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/$$p.fish; done
	rm -rf $(DESTDIR)$(INCDIR)
	rm -f $(DESTDIR)$(LIBDIR)/librta.a $(DESTDIR)$(LIBDIR)/pkgconfig/rta.pc \
	    $(DESTDIR)$(MANDIR)/man5/rta-format.5 $(DESTDIR)$(MANDIR)/man7/rta.7 \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/rta \
	    $(DESTDIR)$(DATADIR)/zsh/site-functions/_rta

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(PROGS:$(B)/%=$(B)/cmd/%.d) $(FZ_LIB_OBJ:.o=.d) \
	$(UNITS:%=%.d)
