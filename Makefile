# curator: one non-recursive Makefile.
#
#   make            build build/curator
#   make check      every test, then again under ASan + UBSan
#   make demo       build the demo site into output/
#   make bench      benchmarks against the tools users would pick instead
#   make fuzz       libFuzzer targets (clang)
#
# Your CFLAGS and LDFLAGS are added after ours, never replaced.

VERSION = 0.1.0
PREFIX ?= /usr/local
CC = cc
PKG_CONFIG ?= pkg-config
PROVE ?= prove
# make V=1 shows the compiler's command lines.
Q = $(if $(V),,@)

PKGS = libxml-2.0 libcurl libcmark libgit2 sqlite3 jansson libfyaml \
	libutf8proc

ifeq ($(SANITIZE),1)
BUILD ?= build/san
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
OPT = -O1
else
BUILD ?= build
SAN_FLAGS =
OPT = -O2
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

CURATOR_CFLAGS = -std=c11 $(OPT) -g -Wall -Wextra -Werror \
	-D_GNU_SOURCE -DCURATOR_VERSION='"$(VERSION)"' -Icurator \
	$(SAN_FLAGS) -MMD -MP
ALL_CFLAGS = $(CURATOR_CFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm -pthread

CORE_SRCS = \
	curator/core/buf.c \
	curator/core/config.c \
	curator/core/config_check.c \
	curator/core/date.c \
	curator/core/digest.c \
	curator/core/file.c \
	curator/core/frontmatter.c \
	curator/core/isbn.c \
	curator/core/json_write.c \
	curator/core/redact.c \
	curator/core/report.c \
	curator/core/url.c \
	curator/core/utf8.c \
	curator/core/xmalloc.c \
	curator/core/yaml.c \
	curator/core/yaml_emit.c \
	curator/core/yaml_get.c

INGEST_SRCS = \
	curator/ingest/feed.c \
	curator/ingest/feed_common.c \
	curator/ingest/feed_diag.c \
	curator/ingest/feed_item_builder.c \
	curator/ingest/feed_json.c \
	curator/ingest/feed_pipe.c \
	curator/ingest/feed_xml.c \
	curator/ingest/fetch.c \
	curator/ingest/http.c \
	curator/ingest/ingest_init.c \
	curator/ingest/netguard.c \
	curator/ingest/opml.c \
	curator/ingest/pagemeta.c \
	curator/ingest/sanitize.c \
	curator/ingest/sanitize_fast.c \
	curator/ingest/xml_prepass.c

STORE_SRCS = \
	curator/store/store.c \
	curator/store/store_dump.c \
	curator/store/store_hash.c \
	curator/store/store_items.c \
	curator/store/store_lock.c \
	curator/store/store_outbox.c \
	curator/store/store_schema.c \
	curator/store/store_sources.c

CURATE_SRCS = \
	curator/curate/content.c \
	curator/curate/link_write.c \
	curator/curate/links.c \
	curator/curate/pages.c \
	curator/curate/playlist_write.c \
	curator/curate/playlists.c \
	curator/curate/rank.c \
	curator/curate/route.c \
	curator/curate/text.c

RENDER_SRCS = \
	curator/render/feeds.c \
	curator/render/feeds_text.c \
	curator/render/mustache.c \
	curator/render/mustache_context.c \
	curator/render/mustache_parse.c \
	curator/render/mustache_render.c \
	curator/render/output.c \
	curator/render/playlist_formats.c \
	curator/render/site.c \
	curator/render/site_images.c \
	curator/render/site_items.c \
	curator/render/site_model.c \
	curator/render/site_pages.c \
	curator/render/site_playlists.c \
	curator/render/site_stamp.c \
	curator/render/site_theme.c \
	curator/render/site_workers.c

PUBLISH_SRCS = \
	curator/publish/crosspost.c \
	curator/publish/crosspost_compose.c \
	curator/publish/deploy.c \
	curator/publish/deploy_gc.c \
	curator/publish/deploy_tree.c \
	curator/publish/xpost_bluesky.c \
	curator/publish/xpost_common.c \
	curator/publish/xpost_facebook.c \
	curator/publish/xpost_mastodon.c

CMD_SRCS = \
	curator/cmd/build.c \
	curator/cmd/check.c \
	curator/cmd/crosspost.c \
	curator/cmd/deploy.c \
	curator/cmd/fetch.c \
	curator/cmd/init.c \
	curator/cmd/link_options.c \
	curator/cmd/parse.c \
	curator/cmd/pick.c \
	curator/cmd/playlist.c \
	curator/cmd/queue.c \
	curator/cmd/site.c \
	curator/cmd/sources.c \
	curator/cmd/tag.c \
	curator/cmd/template.c \
	curator/cmd/theme.c \
	curator/cmd/update.c

LIB_SRCS = $(CORE_SRCS) $(INGEST_SRCS) $(STORE_SRCS) $(CURATE_SRCS) \
	$(RENDER_SRCS) $(PUBLISH_SRCS)
# The default theme, compiled into the binary (never committed).
THEME_FILES = $(sort $(shell find themes/default -type f))
THEME_GEN = $(BUILD)/gen/theme_default.c
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/theme_default.o
BIN_OBJS = $(BUILD)/obj/curator/main.o $(CMD_SRCS:%.c=$(BUILD)/obj/%.o)
LIB = $(BUILD)/libcurator.a
BIN = $(BUILD)/curator

UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
TOOL_SRCS = $(sort $(wildcard tests/tools/*.c))
TOOL_BINS = $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/tools/%)
E2E_TESTS = $(sort $(wildcard tests/e2e/*.t))

# A test run pins the environment (STYLE.md) and makes sanitizers fatal.
TEST_ENV = TZ=UTC LC_ALL=C.UTF-8 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99 \
	CURATOR="$(CURDIR)/$(BIN)" BUILD_DIR="$(CURDIR)/$(BUILD)" \
	TOP="$(CURDIR)"

.PHONY: all deps check test unit e2e demo bench lint format fuzz fuzz-run \
	golden-update install uninstall clean
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory $(BIN)

deps:
	@tools/deps.sh tools/debian-packages.txt

$(BIN): $(BIN_OBJS) $(LIB)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(BIN_OBJS) $(LIB) $(LIBS)

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(Q)$(AR) rcs $@ $(LIB_OBJS)

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

$(THEME_GEN): $(BUILD)/tools/embed $(THEME_FILES)
	@mkdir -p $(@D)
	$(Q)$(BUILD)/tools/embed $@ themes/default $(THEME_FILES)

$(BUILD)/obj/gen/theme_default.o: $(THEME_GEN)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(LIB) $(LIBS) $(CMOCKA_LIBS) \
		$(ALL_LDFLAGS)

# Small programs the e2e tests drive (one stage at a time, stdin to stdout).
$(BUILD)/tests/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(LIB) $(LIBS) $(ALL_LDFLAGS)

# The allocation-failure driver (tests/e2e/12-oom.t) runs `curator parse`
# in-process: it links cmd/parse.o, and curator's own allocations reach its
# counting wrappers through the linker's --wrap.
OOM_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup \
	-Wl,--wrap=strndup
$(BUILD)/tests/tools/oom_parse: tests/tools/oom_parse.c \
		$(BUILD)/obj/curator/cmd/parse.o $(LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -o $@ $< \
		$(BUILD)/obj/curator/cmd/parse.o $(LIB) $(LIBS) $(ALL_LDFLAGS) \
		$(OOM_WRAP)

# Runs the unit and end-to-end tests of one build (BUILD, SANITIZE).
test: $(BIN) $(UNIT_BINS) $(TOOL_BINS)
	@set -e; for t in $(UNIT_BINS); do \
		echo "== $$t"; $(TEST_ENV) $$t; done
	$(TEST_ENV) $(PROVE) -f $(E2E_TESTS)

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory SANITIZE=1 test
	@$(MAKE) --no-print-directory lint

# The repository root is the demo site. Its feeds are local files, read by
# 'curator fetch' when this curator has it; without it the demo builds from
# the tagged links and pages alone.
demo: all
	@if $(BIN) help fetch >/dev/null 2>&1; then $(BIN) fetch; fi
	@$(BIN) build
	@echo "curator: open file://$(CURDIR)/output/index.html"
	@echo "curator: or serve it: python3 -m http.server -d output 8000"

bench: all
	@tools/deps.sh bench/packages.txt
	@status=0; for b in bench/*/run; do \
		"$$b" "$(CURDIR)/$(BIN)" || status=1; done; exit $$status

# libFuzzer targets, built with clang into build/fuzz/. Run one with
#   make fuzz-run FUZZ=feed FUZZ_TIME=600
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TIME ?= 60
fuzz:
	@tools/deps.sh tools/fuzz-packages.txt
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
		SAN_FLAGS='-fsanitize=fuzzer-no-link,address,undefined' \
		OPT=-O1 $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LIBS)

# Seeds: tests/fuzz/corpus/NAME/ and, for some targets, the test fixtures.
FUZZ_SEEDS_feed = tests/fixtures/feeds
FUZZ_SEEDS_sanitize = tests/fixtures/html
FUZZ_SEEDS_sanitize_fast = tests/fixtures/html tests/fuzz/corpus/sanitize
fuzz-run: fuzz
	@mkdir -p build/fuzz/corpus-$(FUZZ)
	build/fuzz/fuzz_$(FUZZ) -max_total_time=$(FUZZ_TIME) -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix=build/fuzz/crash-$(FUZZ)- \
		build/fuzz/corpus-$(FUZZ) \
		$(wildcard tests/fuzz/corpus/$(FUZZ) $(FUZZ_SEEDS_$(FUZZ)))

lint:
	@tools/lint.sh

format:
	clang-format -i curator/*.c curator/*/*.c curator/*/*.h tests/unit/*.c \
		tests/tools/*.c

golden-update: $(BIN)
	@$(TEST_ENV) GOLDEN_UPDATE=1 $(PROVE) $(E2E_TESTS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/curator

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/curator

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(BIN_OBJS:.o=.d)
