# briefing: YAML facts + Markdown commentary -> print-ready PDF briefing.
#
#   make            build build/briefing
#   make run        install what is missing, build, write out/briefing.pdf
#   make test       install what is missing, build, run the whole test suite
#                   (also under AddressSanitizer and UndefinedBehaviorSanitizer)
#   make test-unit  the unit tests alone
#   make test-some T="golden e2e"   the named sections of the suite
#   make check-asan the suite under the sanitizers only
#   make proof      proofs of the sample and the stress document, beside the last
#   make install    install to $(DESTDIR)$(PREFIX) (default /usr/local)
#   make clean      remove build products
#
# Project flags live in their own variables; CFLAGS, LDFLAGS and friends
# are the user's.  WERROR=1 turns warnings into errors (CI sets it).

PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
BINDIR     ?= $(PREFIX)/bin
SHAREDIR   ?= $(PREFIX)/share/briefing
PLUGINDIR  ?= $(PREFIX)/lib/briefing
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/briefing
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g
HOSTCC     ?= cc
HOST_CFLAGS ?= -O2

HPDF_LIBS   ?= -lhpdf
HYPHEN_LIBS ?= -lhyphen
PKGS        := yaml-0.1 libcmark-gfm
# Always shared: HarfBuzz and fontconfig pull in libraries of their own.
SHARED_PKGS := harfbuzz fribidi fontconfig libpng
# Every library is linked as a shared library, as Debian's policy asks:
# a security update to one reaches the program without a rebuild.
# STATIC_LIBS=1 links libyaml, cmark-gfm, libhyphen, libdeflate and libxxhash
# from the static libraries their -dev packages ship instead (about half
# a millisecond less per run to start; rebuild after their updates).
# libharu (Debian has no static one), HarfBuzz, FriBidi, fontconfig,
# libpng and libjpeg are always shared.
STATIC_LIBS ?= 0

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wwrite-strings \
	-Wcast-qual -Wformat=2 -Wundef -Wvla -Wimplicit-fallthrough \
	-Wdouble-promotion -Wconversion -Wno-sign-conversion
ifeq ($(WERROR),1)
WARN += -Werror
endif

BUILD := build
ifeq ($(SAN),1)
BUILD := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
endif
ifeq ($(FUZZ),1)
BUILD := build-fuzz
CC := clang
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) $(SHARED_PKGS) 2>/dev/null)
# cmark-gfm's pkg-config file names its extensions after the core, the
# wrong order for static linking: they are named here, extensions first.
PKG_LIBS   = -lyaml -lcmark-gfm-extensions -lcmark-gfm
SHARED_LIBS = $(shell $(PKG_CONFIG) --libs $(SHARED_PKGS) 2>/dev/null || \
	echo -lharfbuzz -lfribidi -lfontconfig -lpng16) -ljpeg

MY_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(SANFLAGS) \
	-DBRIEFING_SHAREDIR='"$(SHAREDIR)"' \
	-DBRIEFING_PLUGINDIR='"$(PLUGINDIR)"' $(PKG_CFLAGS) -MMD -MP
OWN_LIBS   = $(PKG_LIBS) $(HYPHEN_LIBS) -ldeflate -lxxhash
ifeq ($(STATIC_LIBS),1)
MY_LIBS    = -Wl,-Bstatic $(OWN_LIBS) -Wl,-Bdynamic $(SHARED_LIBS) \
	$(HPDF_LIBS) -lm
else
MY_LIBS    = $(OWN_LIBS) $(SHARED_LIBS) $(HPDF_LIBS) -lm
endif

# Build tools, run on the build machine: not part of the program.
TOOL_SRCS := src/typeset/hyphen_gen.c
# The OpenSSL half of signing, a plugin the program loads only when it
# signs (src/sign/sign_plugin.h): OpenSSL binds thousands of symbols as
# it loads, a millisecond every other run would pay.
PLUGIN_SRCS := src/sign/sign_openssl.c
PLUGIN := $(BUILD)/briefing-sign.so
CRYPTO_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
CRYPTO_LIBS = $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || \
	echo -lcrypto)
SRCS := $(filter-out $(TOOL_SRCS) $(PLUGIN_SRCS),\
	$(sort $(wildcard src/*.c src/*/*.c)))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
# Sources the build writes into $(BUILD)/gen/ (rules below).
GEN_OBJS := $(BUILD)/gen/hyphen_en_us.o $(BUILD)/gen/srgb_icc.o
OBJS := $(SRCS:%.c=$(BUILD)/%.o) $(GEN_OBJS)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(GEN_OBJS)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/%.o)
FUZZ_TARGETS := facts markdown pipeline image
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz-%)

# Debian packages the build, the run and the tests need.
DEB_PKGS := gcc make pkg-config libyaml-dev libcmark-gfm-dev \
	libcmark-gfm-extensions-dev libhpdf-dev \
	libharfbuzz-dev libfribidi-dev libfontconfig-dev \
	libhyphen-dev hyphen-en-us hyphen-fr libcmocka-dev libdeflate-dev \
	libxxhash-dev libpng-dev libjpeg-dev libssl-dev \
	fonts-noto-core icc-profiles-free \
	poppler-utils qpdf mupdf-tools ghostscript python3 python3-yaml \
	python3-jsonschema valgrind

# What only the tests need: the Russian hyphenation patterns (Russian
# words in an English briefing; the French ones, for the bundled a4-fr
# template, are the run's), hb-shape and
# MuPDF's Python binding to read shaped text back (tests/shaping.py),
# pikepdf to read the catalog and metadata, and PDFBox Preflight with a
# Java runtime to validate PDF/A (both tests/pdfa.py).
TEST_DEB_PKGS := hyphen-ru libharfbuzz-bin python3-fitz \
	python3-pikepdf libpdfbox2-java libactivation-java libjaxb-api-java \
	default-jre-headless patch groff-base openssl fonts-liberation2

SAMPLE := data/ceasefire-2025-03-18.yaml

.PHONY: all run test test-unit test-some check check-asan deps install \
	uninstall clean format format-check bench proof fuzz fuzz-merge \
	test-deps test-pkgs node-deps bench-deps FORCE

all: $(BUILD)/briefing $(PLUGIN)

$(BUILD)/briefing: $(OBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(MY_LIBS) $(LDLIBS)

$(PLUGIN): $(PLUGIN_SRCS:%.c=$(BUILD)/%.pic.o)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -shared -o $@ $^ $(CRYPTO_LIBS)

$(BUILD)/%.pic.o: %.c
	@mkdir -p $(@D)
	$(CC) $(MY_CFLAGS) $(CRYPTO_CFLAGS) $(CPPFLAGS) $(CFLAGS) -fPIC \
		-fvisibility=hidden -c -o $@ $<

$(BUILD)/unit-tests: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIB_OBJS) \
		$(MY_LIBS) -lcmocka $(LDLIBS)

# Fuzz targets: linked with libFuzzer under FUZZ=1, otherwise with a
# main() that replays saved inputs (what "make test" runs).
ifeq ($(FUZZ),1)
FUZZ_LINK := -fsanitize=fuzzer
FUZZ_DEFS :=
else
FUZZ_LINK :=
FUZZ_DEFS := -DFUZZ_REPLAY
endif
$(BUILD)/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h \
		$(LIB_OBJS)
	$(CC) $(MY_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(FUZZ_DEFS) \
		-DFUZZ_ROOT='"$(CURDIR)"' $(FUZZ_LINK) -o $@ \
		tests/fuzz/fuzz_$*.c tests/fuzz/fuzz.c $(LIB_OBJS) $(MY_LIBS) \
		$(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(MY_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The hyphenation patterns, parsed here rather than on every run:
# hyphen_gen writes libhyphen's dictionary as C data, with the digest of
# the file it read (src/typeset/hyphen.c uses it while the file has that
# digest).  It is built with the build machine's compiler and without
# the sanitizers, like any build tool.  The path is the program's own,
# read from typeset_int.h.
HYPHEN_PATTERNS := $(shell sed -n \
	's/^.define HYPHEN_PATTERNS "\(.*\)"$$/\1/p' src/typeset/typeset_int.h)

$(BUILD)/gen/hyphen_gen: src/typeset/hyphen_gen.c
	@mkdir -p $(@D)
	$(HOSTCC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(HOST_CFLAGS) \
		-o $@ src/typeset/hyphen_gen.c $(HYPHEN_LIBS) -lxxhash

# The patterns' checksum, rewritten only when it changes: a package
# keeps its files' old dates, so an upgrade (or installing the patterns
# after a build without them) may leave the file older than what was
# generated from the previous one.
$(BUILD)/gen/patterns.sum: FORCE
	@mkdir -p $(@D)
	@sum=$$(cksum 2>/dev/null <$(HYPHEN_PATTERNS) || echo none); \
	[ "$$(cat $@ 2>/dev/null)" = "$$sum" ] || echo "$$sum" >$@

$(BUILD)/gen/hyphen_en_us.c: $(BUILD)/gen/hyphen_gen $(BUILD)/gen/patterns.sum
	$(BUILD)/gen/hyphen_gen $(HYPHEN_PATTERNS) $@

$(BUILD)/gen/hyphen_en_us.o: $(BUILD)/gen/hyphen_en_us.c
	$(CC) $(MY_CFLAGS) -Isrc/typeset $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The sRGB ICC profile of the PDF/A output intent, compiled in so that
# the program needs no file at run time: version 2.3 (the version every
# PDF/A validator accepts), from Debian's icc-profiles-free (zlib licence:
# "no copyright, use freely").
SRGB_ICC ?= /usr/share/color/icc/sRGB.icc

$(BUILD)/gen/srgb_icc.c: $(SRGB_ICC)
	@mkdir -p $(@D)
	{ echo '/* $(SRGB_ICC), written by make. */'; \
	  echo '#include "emit_int.h"'; \
	  echo 'const unsigned char srgb_icc[] = {'; \
	  od -An -v -tu1 $(SRGB_ICC) | \
		sed -e 's/^ *//' -e 's/  */,/g' -e 's/$$/,/'; \
	  echo '};'; \
	  echo 'const size_t srgb_icc_len = sizeof srgb_icc;'; } >$@.tmp
	mv $@.tmp $@

$(BUILD)/gen/srgb_icc.o: $(BUILD)/gen/srgb_icc.c src/emit/emit_int.h
	$(CC) $(MY_CFLAGS) -Isrc/emit $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# $(call apt-install,PACKAGES): installs those of the Debian PACKAGES
# that are missing (apt-get update first); does nothing when all are there.
apt-install = missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
			grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			$$missing >/dev/null || exit 1; \
	fi

# Installs whatever is missing; does nothing when all is present.
deps:
	@$(call apt-install,$(DEB_PKGS))

test-pkgs: deps
	@$(call apt-install,$(TEST_DEB_PKGS))

# Node.js and npm, for PDF.js (the tests) and Typst (the benchmark).
node-deps:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "installing: nodejs npm"; \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			nodejs npm >/dev/null || exit 1; }

# What only the tests need beyond DEB_PKGS: TEST_DEB_PKGS, Node.js and
# PDF.js (the fifth PDF reader), from tests/pdfjs/package-lock.json.
test-deps: test-pkgs node-deps
	@if [ ! -d tests/pdfjs/node_modules/pdfjs-dist ] || \
		[ tests/pdfjs/package-lock.json \
			-nt tests/pdfjs/node_modules/.package-lock.json ]; then \
		echo "installing: pdfjs-dist (tests/pdfjs)"; \
		npm ci --prefix tests/pdfjs --omit=optional --ignore-scripts \
			--no-audit --no-fund --loglevel=error || exit 1; \
	fi

run: deps
	$(MAKE) all
	@mkdir -p out
	$(BUILD)/briefing build $(SAMPLE) -o out/briefing.pdf
	@echo "wrote out/briefing.pdf"

test: test-deps
	$(MAKE) -j$(JOBS) all build/unit-tests $(FUZZ_TARGETS:%=build/fuzz-%)
	$(MAKE) -j$(JOBS) SAN=1 all build-san/unit-tests \
		$(FUZZ_TARGETS:%=build-san/fuzz-%)
	tests/run.sh --sanitizers

# The unit tests alone, with the plain build: the quickest loop.
test-unit: test-pkgs
	$(MAKE) -j$(JOBS) build/unit-tests
	tests/run.sh unit

# Sections of the suite by name, with the plain build:
# make test-some T="diag golden" (see tests/run.sh for the names).
T ?= unit
test-some: test-deps
	$(MAKE) -j$(JOBS) all build/unit-tests $(FUZZ_TARGETS:%=build/fuzz-%)
	tests/run.sh $(T)

check: test

# Proofs: the sample on A4, on US Letter two-sided, and the stress
# document, each set beside the previous run's proof (kept in
# out/proof/previous/) page by page, and rendered to PNG.
PROOFS := sample-a4 sample-letter-duplex stress-a4
proof: run test-pkgs
	@mkdir -p out/proof/previous
	@for p in $(PROOFS); do \
		if [ -f out/proof/$$p.pdf ]; then mv out/proof/$$p.pdf out/proof/previous/; fi; \
	done
	@rm -f out/proof/*.png out/proof/*-beside.pdf
	SOURCE_DATE_EPOCH=1 $(BUILD)/briefing build $(SAMPLE) -o out/proof/sample-a4.pdf
	SOURCE_DATE_EPOCH=1 $(BUILD)/briefing build $(SAMPLE) -o out/proof/sample-letter-duplex.pdf \
		--template letter --duplex
	SOURCE_DATE_EPOCH=1 $(BUILD)/briefing build tests/fixtures/stress.yaml -o out/proof/stress-a4.pdf
	@for p in $(PROOFS); do pdftoppm -r 110 -png out/proof/$$p.pdf out/proof/$$p; done
	/usr/bin/python3 tests/proof.py out/proof $(PROOFS)
	@echo "proofs in out/proof: each page as PNG, and NAME-beside.pdf beside the last proofs"

check-asan: test-deps
	$(MAKE) -j$(JOBS) SAN=1 all build-san/unit-tests \
		$(FUZZ_TARGETS:%=build-san/fuzz-%)
	BRIEFING=build-san/briefing UNIT=build-san/unit-tests tests/run.sh

# Typst, the peer the benchmark sets the sample beside (tests/peer/), from
# tests/peer/package-lock.json.  Its compiler is a native module, in an
# optional dependency npm picks for the platform
# (@myriaddreamin/typst-ts-node-compiler-linux-x64-gnu here): optional
# dependencies are not omitted.
bench-deps: node-deps
	@if [ ! -d tests/peer/node_modules/@myriaddreamin/typst-ts-node-compiler ] || \
		[ tests/peer/package-lock.json \
			-nt tests/peer/node_modules/.package-lock.json ]; then \
		echo "installing: @myriaddreamin/typst-ts-node-compiler (tests/peer)"; \
		npm ci --prefix tests/peer --ignore-scripts \
			--no-audit --no-fund --loglevel=error || exit 1; \
	fi

bench: deps all bench-deps
	python3 tests/bench.py --briefing $(BUILD)/briefing

# Fuzzing (clang's libFuzzer with ASan and UBSan).  The targets run side
# by side for FUZZ_TIME seconds each, from the saved corpus in
# tests/fuzz/corpus/TARGET and the sample and fixtures; new inputs collect
# in build-fuzz/corpus/TARGET, findings (crash-*, leak-*, timeout-*,
# oom-*) in build-fuzz/findings/ and each target's log in
# build-fuzz/TARGET.log.  "make fuzz-merge" folds the inputs that add
# coverage into the saved corpus, which "make test" replays.
FUZZ_TIME ?= 60
FUZZ_OPTS ?= -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-dict=tests/fuzz/yaml.dict
FUZZ_PKGS := clang libclang-rt-14-dev
fuzz: deps
	@$(call apt-install,$(FUZZ_PKGS))
	$(MAKE) FUZZ=1 $(FUZZ_TARGETS:%=build-fuzz/fuzz-%)
	@pids=; for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t build-fuzz/seeds/$$t \
			build-fuzz/findings tests/fuzz/corpus/$$t; \
		case $$t in \
		markdown) cp data/*.md tests/fixtures/*.md build-fuzz/seeds/$$t/ ;; \
		image) cp tests/fixtures/images/*.png \
			tests/fixtures/images/*.jpg build-fuzz/seeds/$$t/ ;; \
		*) cp $(SAMPLE) tests/fixtures/*.yaml tests/diag/*.yaml \
			tests/hostile/*.yaml build-fuzz/seeds/$$t/ ;; \
		esac; \
		echo "fuzz-$$t: $(FUZZ_TIME) s, log in build-fuzz/$$t.log"; \
		build-fuzz/fuzz-$$t $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) \
			-artifact_prefix=build-fuzz/findings/$$t- \
			build-fuzz/corpus/$$t tests/fuzz/corpus/$$t \
			build-fuzz/seeds/$$t >build-fuzz/$$t.log 2>&1 & \
		pids="$$pids $$!"; \
	done; \
	bad=0; for p in $$pids; do wait $$p || bad=1; done; \
	for t in $(FUZZ_TARGETS); do \
		printf '%s: ' $$t; grep -E 'DONE|ERROR|SUMMARY' \
			build-fuzz/$$t.log | tail -1; \
	done; \
	ls build-fuzz/findings; exit $$bad

fuzz-merge:
	@for t in $(FUZZ_TARGETS); do \
		build-fuzz/fuzz-$$t -merge=1 $(FUZZ_OPTS) tests/fuzz/corpus/$$t \
			build-fuzz/corpus/$$t || exit 1; \
	done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/templates \
		$(DESTDIR)$(SHAREDIR)/fonts $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(DOCDIR)/sample
	install -m 755 $(BUILD)/briefing $(DESTDIR)$(BINDIR)/briefing
	install -d $(DESTDIR)$(PLUGINDIR)
	install -m 644 $(PLUGIN) $(DESTDIR)$(PLUGINDIR)/
	install -m 644 templates/*.yaml $(DESTDIR)$(SHAREDIR)/templates/
	install -m 644 fonts/*.md $(DESTDIR)$(SHAREDIR)/fonts/
	install -m 644 data/briefing.schema.json $(DESTDIR)$(SHAREDIR)/
	install -m 644 src/briefing.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 src/briefing.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/briefing
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 644 data/*.yaml data/*.md data/*.json $(DESTDIR)$(DOCDIR)/sample/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/briefing $(DESTDIR)$(MANDIR)/man1/briefing.1 \
		$(DESTDIR)$(COMPLETIONDIR)/briefing
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(PLUGINDIR)

format:
	clang-format -i $(SRCS) $(TOOL_SRCS) $(wildcard src/*.h src/*/*.h) \
		$(UNIT_SRCS) $(wildcard tests/unit/*.h)

# Debian 12's clang-format (14): another version may break lines
# differently.
format-check:
	@$(call apt-install,clang-format)
	clang-format --dry-run -Werror $(SRCS) $(TOOL_SRCS) \
		$(wildcard src/*.h src/*/*.h) $(UNIT_SRCS) \
		$(wildcard tests/unit/*.h)

clean:
	rm -rf build build-san build-fuzz out tests/out

-include $(OBJS:.o=.d) $(UNIT_OBJS:.o=.d) \
	$(PLUGIN_SRCS:%.c=$(BUILD)/%.pic.d)
