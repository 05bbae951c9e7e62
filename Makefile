# NextToken: `make run` opens the app, `make test` runs every test.
# Both install the system packages first when they are missing.
#
# `make` builds the program, its man page and shell completions; `make install`
# (PREFIX, default /usr/local; DESTDIR honoured) installs them, `make uninstall`
# removes exactly those files, and `make deb` builds a Debian package.

SWIFT ?= swift
SWIFTC ?= swiftc
APT_PACKAGES := libncursesw5-dev libopenblas-dev pkg-config tmux
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# release: optimised, the Swift runtime and Foundation linked in statically, so the
# binary runs without a Swift toolchain. CONFIG=debug installs the debug build
# instead (the end-to-end test does, to spare a release build).
CONFIG ?= release
ifeq ($(CONFIG),release)
SWIFT_BUILD_FLAGS := -c release --static-swift-stdlib
else ifeq ($(CONFIG),debug)
SWIFT_BUILD_FLAGS :=
else
$(error CONFIG=$(CONFIG): expected release or debug)
endif
BIN := .build/$(CONFIG)/nexttoken

# The man page and completions, generated from the command definitions.
GENERATED := .build/generated/$(CONFIG)
MAN_PAGE := $(GENERATED)/nexttoken.1
COMPLETIONS := $(GENERATED)/completion.bash $(GENERATED)/completion.zsh $(GENERATED)/completion.fish

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/nexttoken
MANDIR := $(PREFIX)/share/man/man1
BASH_COMPLETION_DIR := $(PREFIX)/share/bash-completion/completions
# Debian's zsh looks in vendor-completions under /usr, site-functions elsewhere.
ZSH_COMPLETION_DIR := $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
FISH_COMPLETION_DIR := $(PREFIX)/share/fish/vendor_completions.d
LESSON_FILES := $(wildcard Lessons/*.md)
CORPUS_FILES := $(wildcard Corpora/*.txt Corpora/*.md)

DEB_DIR := .build/deb
DEB_ROOT := $(DEB_DIR)/debian/nexttoken
# The package's copyright file, changelog and lintian overrides.
DEB_FILES := packaging/debian
# The package's Maintainer: the signer of the changelog's newest entry, the one place it is set.
MAINTAINER := $(shell sed -n 's/^ -- \(.*>\)  .*/\1/p;T;q' $(DEB_FILES)/changelog)

.PHONY: all run test test-sanitized check-miscompiles check-sanitizer-blind-spot build binary docs deps deb-tools install uninstall deb bench clean

all: build

## Install the apt packages when pkg-config or tmux cannot find them.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 \
	    || ! pkg-config --exists ncursesw openblas \
	    || ! command -v tmux >/dev/null 2>&1; then \
	  echo "Installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

## The Debian packaging tools, for `make deb`.
deb-tools:
	@if ! command -v dpkg-deb >/dev/null 2>&1 || ! command -v dpkg-shlibdeps >/dev/null 2>&1; then \
	  echo "Installing dpkg-dev"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq dpkg-dev; \
	fi

## The program alone.
binary: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product nexttoken

## The program, its man page and its shell completions.
build: binary
	$(MAKE) docs

## The man page and the bash, zsh and fish completions, generated from the command
## definitions in $(BIN): the man page by swift-argument-parser's generate-manual (the
## tool behind its plugin, built with this build's flags so the two never relink each
## other's binaries), the completions by the program's --generate-completion-script.
docs:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --product generate-manual
	rm -rf $(GENERATED).tmp && mkdir -p $(GENERATED).tmp
	.build/$(CONFIG)/generate-manual $(BIN) --output-directory $(GENERATED).tmp \
	  $(addprefix --date ,$(shell git log -1 --format=%cs 2>/dev/null))
	for shell in bash zsh fish; do \
	  $(BIN) --generate-completion-script $$shell > $(GENERATED).tmp/completion.$$shell || exit 1; \
	done
	rm -rf $(GENERATED) && mv $(GENERATED).tmp $(GENERATED)

# `make install` installs what `make` built, building it only when it is missing, so
# `sudo make install` after `make` runs no compiler as root.
$(BIN):
	$(MAKE) binary
$(MAN_PAGE) $(COMPLETIONS) &: | $(BIN)
	$(MAKE) docs

## Build and open the app on the default lesson browser.
run: binary
	$(BIN)

## Every test: unit, screen and end-to-end (the latter in tmux; one installs the debug
## build, so its man page and completions are generated first).
test: deps
	$(SWIFT) build --product nexttoken
	$(MAKE) docs CONFIG=debug
	.build/debug/nexttoken lessons check Lessons/[0-9]*.md
	$(SWIFT) test --disable-xctest

## The Training and App tests under the address sanitizer, then the thread sanitizer: the
## session's queue, its snapshots and the effects that drive them; and the worker pool's
## (WorkSplitTests: every kernel on several threads, callers sharing the pool, workers that
## watch for work or sleep). Each sanitizer builds in
## its own folder (debug), as a sanitized build cannot share one with a plain build. The
## first report stops the tests with a failing exit code, so any report fails CI. Leak
## reports are off: the Swift runtime keeps its metadata caches for the life of the process.
SANITIZED_TESTS := --disable-xctest --filter 'TrainingTests\.|AppTests\.|ModelTests\.LockedTests|ModelTests\.WorkSplitTests'
test-sanitized: deps check-miscompiles check-sanitizer-blind-spot
	ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 \
	  $(SWIFT) test --sanitize=address --scratch-path .build-asan $(SANITIZED_TESTS)
	TSAN_OPTIONS=halt_on_error=1 \
	  $(SWIFT) test --sanitize=thread --scratch-path .build-tsan $(SANITIZED_TESTS)

## The thread sanitizer cannot follow a contended Synchronization.Mutex on Linux, which is
## why the code locks with Locked (Sources/Model/Support/Locked.swift): Locked must run
## clean. The plain Mutex should still be reported; once it is not, Locked can go.
SANITIZER_DIR := .build-sanitizer-check
check-sanitizer-blind-spot:
	mkdir -p $(SANITIZER_DIR)
	$(SWIFTC) -parse-as-library -package-name nexttoken -sanitize=thread \
	  Tests/Sanitizers/MutexHandOff.swift Sources/Model/Support/Locked.swift -o $(SANITIZER_DIR)/hand-off
	TSAN_OPTIONS=halt_on_error=1 $(SANITIZER_DIR)/hand-off locked
	@if TSAN_OPTIONS=halt_on_error=1 $(SANITIZER_DIR)/hand-off mutex >/dev/null 2>&1; then \
	  echo "note: the thread sanitizer now follows a contended Mutex (Tests/Sanitizers/MutexHandOff.swift);" \
	    "Locked can become a plain Mutex again"; \
	else echo "The thread sanitizer still misses a contended Mutex's hand-off: keep Locked"; fi

## The smallest program the toolchain miscompiles at -O (Tests/Miscompiles), under the
## address sanitizer: with Package.swift's workaround it must run clean. Without it, it
## should still fail; once it does not, the toolchain is fixed and the workaround can go.
MISCOMPILE_DIR := .build-miscompiles
check-miscompiles:
	mkdir -p $(MISCOMPILE_DIR)
	$(SWIFTC) -O -sanitize=address -Xllvm -sil-disable-pass=retain-sinking \
	  Tests/Miscompiles/RetainSinking.swift -o $(MISCOMPILE_DIR)/retain-sinking
	ASAN_OPTIONS=detect_leaks=0 $(MISCOMPILE_DIR)/retain-sinking
	$(SWIFTC) -O -sanitize=address Tests/Miscompiles/RetainSinking.swift -o $(MISCOMPILE_DIR)/retain-sinking-unpatched
	@if ASAN_OPTIONS=detect_leaks=0 $(MISCOMPILE_DIR)/retain-sinking-unpatched >/dev/null 2>&1; then \
	  echo "note: this toolchain no longer miscompiles Tests/Miscompiles/RetainSinking.swift;" \
	    "the retain-sinking workaround in Package.swift can go"; \
	else echo "Without the workaround the toolchain still miscompiles it: keep the workaround"; fi

bench: binary
	$(BIN) bench

install: | $(BIN) $(MAN_PAGE) $(COMPLETIONS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/Lessons $(DESTDIR)$(DATADIR)/Corpora \
	  $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASH_COMPLETION_DIR) $(DESTDIR)$(ZSH_COMPLETION_DIR) $(DESTDIR)$(FISH_COMPLETION_DIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/nexttoken
	$(if $(filter release,$(CONFIG)),strip $(DESTDIR)$(BINDIR)/nexttoken)
	install -m 644 $(LESSON_FILES) $(DESTDIR)$(DATADIR)/Lessons
	install -m 644 $(CORPUS_FILES) $(DESTDIR)$(DATADIR)/Corpora
	install -m 644 $(MAN_PAGE) $(DESTDIR)$(MANDIR)/nexttoken.1
	install -m 644 $(GENERATED)/completion.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/nexttoken
	install -m 644 $(GENERATED)/completion.zsh $(DESTDIR)$(ZSH_COMPLETION_DIR)/_nexttoken
	install -m 644 $(GENERATED)/completion.fish $(DESTDIR)$(FISH_COMPLETION_DIR)/nexttoken.fish

# File by file: with PREFIX=~/.local, share/nexttoken is also where the learner's own
# files live (see UserFolders), so no folder is removed unless it is empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nexttoken $(DESTDIR)$(MANDIR)/nexttoken.1 \
	  $(DESTDIR)$(BASH_COMPLETION_DIR)/nexttoken $(DESTDIR)$(ZSH_COMPLETION_DIR)/_nexttoken \
	  $(DESTDIR)$(FISH_COMPLETION_DIR)/nexttoken.fish
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(LESSON_FILES) $(CORPUS_FILES))
	rmdir $(DESTDIR)$(DATADIR)/Lessons $(DESTDIR)$(DATADIR)/Corpora $(DESTDIR)$(DATADIR) 2>/dev/null || true

## nexttoken_VERSION_ARCH.deb: the release build under /usr, its Depends computed from
## the binary's libraries, the version from `nexttoken --version`.
deb: deb-tools build
	rm -rf $(DEB_DIR)
	$(MAKE) install CONFIG=release PREFIX=/usr DESTDIR=$(abspath $(DEB_ROOT))
	gzip -9n $(DEB_ROOT)/usr/share/man/man1/nexttoken.1
	install -d $(DEB_ROOT)/usr/share/doc/nexttoken $(DEB_ROOT)/usr/share/lintian/overrides
	install -m 644 $(DEB_FILES)/copyright $(DEB_ROOT)/usr/share/doc/nexttoken/copyright
	gzip -9n < $(DEB_FILES)/changelog > $(DEB_ROOT)/usr/share/doc/nexttoken/changelog.gz
	chmod 644 $(DEB_ROOT)/usr/share/doc/nexttoken/changelog.gz
	install -m 644 $(DEB_FILES)/lintian-overrides $(DEB_ROOT)/usr/share/lintian/overrides/nexttoken
	mkdir -p $(DEB_ROOT)/DEBIAN
	printf 'Source: nexttoken\n\nPackage: nexttoken\nArchitecture: any\n' > $(DEB_DIR)/debian/control
	cd $(DEB_DIR) && dpkg-shlibdeps -O debian/nexttoken/usr/bin/nexttoken > shlibs
	version=$$($(BIN) --version) && arch=$$(dpkg --print-architecture) && \
	logged=$$(sed -n '1s/^nexttoken (\([^)]*\)).*/\1/p' $(DEB_FILES)/changelog) && \
	if [ "$$logged" != "$$version" ]; then \
	  echo "$(DEB_FILES)/changelog:1: its newest entry is $$logged, the program is $$version: add an entry for $$version" >&2; exit 1; \
	fi && \
	depends=$$(sed -n 's/^shlibs:Depends=//p' $(DEB_DIR)/shlibs) && \
	size=$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1) && \
	{ echo "Package: nexttoken"; echo "Version: $$version"; echo "Architecture: $$arch"; \
	  echo "Maintainer: $(MAINTAINER)"; echo "Installed-Size: $$size"; \
	  echo "Depends: $$depends"; echo "Section: education"; echo "Priority: optional"; \
	  echo "Description: learn how language models are trained, in the terminal"; \
	  echo " NextToken steps through the real training of a tiny GPT-2, stage by stage,"; \
	  echo " while it trains live: tokenisation, embeddings, attention, loss,"; \
	  echo " backpropagation and the update, each drawn from the running model. Lessons"; \
	  echo " in English and Chinese; headless commands to train, generate, score, export"; \
	  echo " and trace."; \
	} > $(DEB_ROOT)/DEBIAN/control && \
	dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $(DEB_DIR)/package.deb && \
	mv $(DEB_DIR)/package.deb nexttoken_$${version}_$${arch}.deb && echo "Built nexttoken_$${version}_$${arch}.deb"

clean:
	rm -rf .build .build-asan .build-tsan .build-miscompiles .build-sanitizer-check
