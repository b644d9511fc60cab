# The two commands a new user needs: `make run` and `make test`. Both install what is
# missing first (scripts/deps.sh).

CARGO ?= cargo
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
DEMO ?= $(DATA_HOME)/cairn/demo
CAIRN := $(CARGO) run -q --release --locked -p cairn-cli --

.PHONY: run test deps build check fmt demo

deps:
	@./scripts/deps.sh

build: deps
	$(CARGO) build --release --locked -p cairn-cli

demo: build
	@./scripts/demo.sh "$(DEMO)"

run: demo
	@echo "== cairn list (in $(DEMO))"
	@$(CAIRN) -C "$(DEMO)" list
	@echo; echo "== cairn lint"
	@$(CAIRN) -C "$(DEMO)" lint || true
	@echo; echo "Try: cargo run --release -p cairn-cli -- -C \"$(DEMO)\" show 7   (README.md shows the whole CLI)"

fmt:
	$(CARGO) fmt --all

check: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

test: check
	$(CARGO) test --workspace --locked
