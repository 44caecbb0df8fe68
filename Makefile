# Augur: the two set-up commands are `make demo` and `make test`; both install what they need.
SWIFT ?= swift
# System packages the build, the tests and the benchmarks need (Debian names).
APT_PACKAGES := libcsv-dev libsqlite3-dev sqlite3 librsvg2-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
AUGUR := .build/release/augur

.PHONY: setup build release demo test bench bench-import bench-train bench-stats bench-intervals bench-neural clean

## setup: install missing system packages (a fast no-op when all are present)
setup:
	@if command -v dpkg >/dev/null 2>&1; then \
	  missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "make setup: installing$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
	    echo "make setup: installing postgresql (for the PostgreSQL store's tests and benchmarks)"; \
	    ( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null ) \
	      || echo "make setup: postgresql could not be installed; the PostgreSQL tests will be skipped"; \
	  fi; \
	  if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	    echo "make setup: installing chromium (for the reports' browser checks)"; \
	    ( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null ) \
	      || echo "make setup: chromium could not be installed; the browser checks will be skipped"; \
	  fi; \
	fi

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

## demo: build, then run the main job on the bundled data/ (database: data/augur.sqlite, reports: Reports/)
demo: release
	scripts/demo.sh

## test: the whole test suite (what CI runs)
test: setup
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
	  || echo "make test: PostgreSQL is not installed: the PostgreSQL store's tests will show as skipped"
	$(SWIFT) test

## bench: import, training, statistical-model and interval benchmarks, each beside its reference
bench: bench-import bench-train bench-stats bench-intervals bench-neural

bench-import: release
	scripts/bench-import.sh

bench-train: release
	@if [ -x scripts/bench-train.sh ]; then scripts/bench-train.sh; else echo "bench-train: not yet available"; fi

bench-stats: release
	scripts/bench-stats.sh

bench-intervals: release
	AUGUR_BIN=.build/release/augur scripts/bench-intervals.sh

bench-neural: release
	AUGUR_BIN=.build/release/augur scripts/bench-neural.sh

clean:
	rm -rf .build
