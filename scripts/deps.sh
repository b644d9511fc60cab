#!/usr/bin/env bash
# Installs what building and testing Cairn needs on a Debian machine, skipping what is
# already there. Safe to run again; `make run`, `make test` and `.ci/run` all call it.
set -euo pipefail

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Build: a C compiler and OpenSSL headers for git2's vendored libgit2 and libssh2.
for pkg in build-essential pkg-config libssl-dev git; do
  have_pkg "$pkg" || need_apt+=("$pkg")
done
# Tests: adr-tools proves Cairn's files stay readable by adr-tools; ripgrep and hyperfine
# are the yardsticks of the search benchmarks.
for pkg in adr-tools ripgrep hyperfine; do
  have_pkg "$pkg" || need_apt+=("$pkg")
done

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install the Rust toolchain with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component" || true
  fi
done
