# briefing: YAML facts + Markdown commentary -> print-ready PDF briefing.
#
#   make            build build/briefing
#   make run        install what is missing, build, write out/briefing.pdf
#   make test       install what is missing, build, run the whole test suite
#                   (also under AddressSanitizer and UndefinedBehaviorSanitizer)
#   make check-asan the suite under the sanitizers only
#   make proof      render every page of the sample to out/proof/*.png
#   make install    install to $(DESTDIR)$(PREFIX) (default /usr/local)
#   make clean      remove build products
#
# Project flags live in their own variables; CFLAGS, LDFLAGS and friends
# are the user's.  WERROR=1 turns warnings into errors (CI sets it).

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SHAREDIR   ?= $(PREFIX)/share/briefing
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g

HPDF_LIBS   ?= -lhpdf
HYPHEN_LIBS ?= -lhyphen
PKGS        := yaml-0.1 libcmark

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

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -lyaml -lcmark)

MY_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(SANFLAGS) \
	-DBRIEFING_SHAREDIR='"$(SHAREDIR)"' $(PKG_CFLAGS) -MMD -MP
MY_LIBS    = $(PKG_LIBS) $(HPDF_LIBS) $(HYPHEN_LIBS) -lm

SRCS := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(SRCS:%.c=$(BUILD)/%.o)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/%.o)

# Debian packages the build, the run and the tests need.
DEB_PKGS := gcc make pkg-config libyaml-dev libcmark-dev libhpdf-dev \
	libhyphen-dev hyphen-en-us libcmocka-dev fonts-noto-core \
	poppler-utils qpdf mupdf-tools ghostscript python3 python3-yaml \
	python3-jsonschema

SAMPLE := data/ceasefire-2025-03-18.yaml

.PHONY: all run test check check-asan deps install uninstall clean format \
	format-check bench proof

all: $(BUILD)/briefing

$(BUILD)/briefing: $(OBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(MY_LIBS) $(LDLIBS)

$(BUILD)/unit-tests: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIB_OBJS) \
		$(MY_LIBS) -lcmocka $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(MY_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Installs whatever is missing; does nothing when all is present.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
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

run: deps
	$(MAKE) all
	@mkdir -p out
	$(BUILD)/briefing build $(SAMPLE) -o out/briefing.pdf
	@echo "wrote out/briefing.pdf"

test: deps
	$(MAKE) all build/unit-tests
	$(MAKE) SAN=1 all build-san/unit-tests
	tests/run.sh --sanitizers

check: test

proof: run
	@rm -rf out/proof && mkdir -p out/proof
	pdftoppm -r 110 -png out/briefing.pdf out/proof/page
	@echo "wrote out/proof/page-*.png"

check-asan: deps
	$(MAKE) SAN=1 all build-san/unit-tests
	BRIEFING=build-san/briefing UNIT=build-san/unit-tests tests/run.sh

bench: deps all
	python3 tests/bench.py --briefing $(BUILD)/briefing

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/templates \
		$(DESTDIR)$(SHAREDIR)/fonts
	install -m 755 $(BUILD)/briefing $(DESTDIR)$(BINDIR)/briefing
	install -m 644 templates/*.yaml $(DESTDIR)$(SHAREDIR)/templates/
	install -m 644 fonts/*.ttf fonts/*.md $(DESTDIR)$(SHAREDIR)/fonts/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/briefing
	rm -rf $(DESTDIR)$(SHAREDIR)

format:
	clang-format -i $(SRCS) $(wildcard src/*.h src/*/*.h) $(UNIT_SRCS)

format-check:
	clang-format --dry-run -Werror $(SRCS) $(wildcard src/*.h src/*/*.h)

clean:
	rm -rf build build-san out tests/out

-include $(OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
