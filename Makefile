# NextToken: `make run` opens the app, `make test` runs every test.
# Both install the system packages first when they are missing.

SWIFT ?= swift
APT_PACKAGES := libncursesw5-dev libopenblas-dev pkg-config tmux
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/nexttoken

.PHONY: run test build deps bench clean

## Install the apt packages when pkg-config or tmux cannot find them.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 \
	    || ! pkg-config --exists ncursesw openblas \
	    || ! command -v tmux >/dev/null 2>&1; then \
	  echo "Installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

build: deps
	$(SWIFT) build -c release --product nexttoken

## Build and open the app on the default lesson browser.
run: build
	$(BIN)

## Every test: unit, screen and end-to-end (the latter in tmux).
test: deps
	$(SWIFT) build --product nexttoken
	.build/debug/nexttoken lessons check Lessons/[0-9]*.md
	$(SWIFT) test --disable-xctest

bench: build
	$(BIN) bench

clean:
	rm -rf .build
