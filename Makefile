# The two commands a new user needs: `make run` and `make test`. Both install what is
# missing first (scripts/deps.sh): `make run` only what the build needs, `make test` the test
# tools too. `make package` makes the .deb and the AppImage, `make test-package` installs
# and checks them.

CARGO ?= cargo
NPM ?= npm
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
DEMO ?= $(DATA_HOME)/cairn/demo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
# The built binaries, never `cargo run`: `cargo run -p cairn-cli` resolves features on its own
# and compiled tantivy and libgit2 a second time after `make build` had built them. `make run`
# opens the debug build `make test` drives (as `cargo tauri dev` does), so the README's two
# commands compile the dependencies once, not twice; `make build` and `make package` are the
# release build.
DEV := $(TARGET_DIR)/debug
CAIRN := $(DEV)/cairn
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test deps deps-test deps-package ui ui-check build build-dev check fmt \
	demo screenshots fuzz faults package test-package

deps:
	@./scripts/deps.sh

deps-test:
	@./scripts/deps.sh test

deps-package:
	@./scripts/deps.sh package

# The web front end, embedded into the app at compile time. Rebuilt only when a source is
# newer than the last build: a fresh ui/dist makes tauri-build rebuild the app, which was
# most of a warm `make run`.
UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) $(wildcard ui/index.html ui/package.json \
	ui/package-lock.json ui/vite.config.* ui/svelte.config.* ui/tsconfig*.json)
ui/dist/index.html: $(UI_SOURCES) | deps
	$(NPM) --prefix ui run build

ui: ui/dist/index.html

ui-check: deps
	$(NPM) --prefix ui run check

build: ui
	$(CARGO) build --release --locked -p cairn-cli -p cairn-desktop

# The debug build: the app and CLI `make run` starts and the end-to-end tests drive, and every
# test binary. Built with the same package and target selection as `cargo test --workspace`:
# features are resolved per selection, so `-p cairn-desktop` alone compiled tantivy, git2 and
# Tauri a second time with other features before the tests compiled them again (and
# `--workspace` without `--all-targets` rebuilt a third of the tree, 8 min, for the tests).
build-dev: ui
	$(CARGO) build --workspace --all-targets --locked

demo: build-dev
	@./scripts/demo.sh "$(DEMO)"

run: demo
	@echo "== cairn list (in $(DEMO))"
	@$(CAIRN) -C "$(DEMO)" list
	@echo; echo "== opening the desktop app on $(DEMO)"
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display: the window cannot open here. The CLI works: $(CAIRN) -C \"$(DEMO)\" show 7"; \
	else \
	  "$(DEV)/cairn-desktop" "$(DEMO)"; \
	fi

fmt:
	$(CARGO) fmt --all

check: deps-test ui ui-check
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# Unit, integration and end-to-end tests (the last start Xvfb themselves when there is no
# display), and the UI's own unit tests (vitest).
test: check build-dev
	$(NPM) --prefix ui test
	CAIRN_DESKTOP_BIN="$(DEV)/cairn-desktop" $(CARGO) test --workspace --locked

# The .deb (Tauri's bundler) and the AppImage (from the .deb's files) from the release build:
# the app, the `cairn` CLI, completions, man page. See scripts/package.sh and appimage.sh.
package: build deps-package
	@./scripts/package.sh "$(TARGET_DIR)"

# Installs the .deb (and runs the AppImage), checks the CLI, completions, man page and the
# installed app's window under Xvfb, removes it and checks nothing is left. Root or sudo.
test-package: package
	@./scripts/test-package.sh "$(TARGET_DIR)"

# Screenshots of the main screens into docs/screenshots (under Xvfb when there is no display).
screenshots: deps-test build-dev
	CAIRN_SCREENSHOTS="$(CURDIR)/docs/screenshots" CAIRN_DESKTOP_BIN="$(DEV)/cairn-desktop" \
	  $(CARGO) test --locked -p cairn-e2e -- --nocapture

# Fuzzing, a job of its own: the decision, scope-map and query parsers and the renderer on
# mutated corpus files, FUZZ_CASES cases each (no panic, no input taking a second). Each
# target prints its slowest input. A debug build, for its overflow checks, but with the
# dependencies at opt-level 1 as the one-second bound was set for: `make test`'s build has
# most at 0 (Cargo.toml), where Markdown rendering took 1.03 s on a 182 KB input. So the
# dependencies of cairn-core are built once more, beside `make test`'s; each build keeps its
# own. Nice'd: it runs for minutes.
FUZZ_CASES ?= 20000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) nice -n 10 $(CARGO) --config 'profile.dev.package."*".opt-level=1' \
	  test --locked -p cairn-core --test fuzz -- --ignored --nocapture --test-threads=1

# The kill -9 fault suite at a higher count than the default test run (FAULT_WRITES writes).
FAULT_WRITES ?= 1000
faults:
	CAIRN_FAULT_WRITES=$(FAULT_WRITES) nice -n 10 $(CARGO) test --locked -p cairn-cli \
	  --test faults -- --nocapture
