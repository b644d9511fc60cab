#!/usr/bin/env bash
# Installs what building and testing Cairn needs on a Debian machine, skipping what is
# already there. Safe to run again; `make run`, `make test` and `.ci/run` all call it.
#
# Usage: scripts/deps.sh [test] [package]. Without arguments: what `make run` needs (the
# build). `test` adds the test tools (adr-tools, Xvfb, WebKit's WebDriver, tauri-driver);
# `package` adds Tauri's CLI (the bundler) and what the package test uses. A first `make run`
# installs (and compiles) nothing it does not use.
set -euo pipefail
want_test=0
want_package=0
for arg in "$@"; do
  case "$arg" in
    test) want_test=1 ;;
    package) want_package=1 ;;
    *) echo "deps.sh: unknown argument $arg (expected test or package)" >&2; exit 2 ;;
  esac
done

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Build: a C compiler and OpenSSL headers for git2's vendored libgit2 and libssh2.
for pkg in build-essential pkg-config libssl-dev git; do
  have_pkg "$pkg" || need_apt+=("$pkg")
done
# The desktop app: Tauri's WebKitGTK stack.
for pkg in libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libsoup-3.0-dev \
           libjavascriptcoregtk-4.1-dev; do
  have_pkg "$pkg" || need_apt+=("$pkg")
done
# Tests: adr-tools proves Cairn's files stay readable by adr-tools; ripgrep and hyperfine
# are the yardsticks of the search benchmarks; the end-to-end tests need a virtual display
# (xvfb, xauth), WebKit's WebDriver, and ImageMagick for screenshots of the whole screen;
# the static site's, headless Chromium and its WebDriver.
if [ "$want_test" = 1 ]; then
  for pkg in adr-tools ripgrep hyperfine xvfb xauth webkit2gtk-driver imagemagick \
             chromium chromium-driver; do
    have_pkg "$pkg" || need_apt+=("$pkg")
  done
fi
# The package test: it installs the .deb with apt, opens the installed app under Xvfb, finds
# its window (xdotool) and takes a screenshot (ImageMagick); man-db answers `man -w`, and
# zsh and fish load the completions Cairn ships for them. mksquashfs makes the AppImage.
if [ "$want_package" = 1 ]; then
  for pkg in xvfb xauth imagemagick xdotool man-db bash-completion zsh fish squashfs-tools; do
    have_pkg "$pkg" || need_apt+=("$pkg")
  done
fi

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

# The UI: Node 20.19+ (Vite 7) and its packages, installed exactly from ui/package-lock.json
# when node_modules is missing or older than the lock file.
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js from Debian"
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?1:0)')
if [ "$node_ok" != 1 ]; then
  echo "Node.js $(node --version) is too old for the UI's build (Vite 7 needs 20.19 or newer)." >&2
  exit 1
fi
stamp="$root/ui/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$root/ui/package-lock.json" -nt "$stamp" ]; then
  echo "Installing the UI's packages (npm ci)"
  # `npm ci` installs exactly the lock file. Where the registry serves no metadata for
  # other platforms' optional packages (rollup's native builds), npm writes a lock file that
  # its own `npm ci` then calls out of sync; `npm install` from the same lock file is the
  # fallback and changes nothing that is installed for this platform.
  (cd "$root/ui" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null \
     || npm install --no-audit --no-fund --no-save --loglevel=error; })
fi

# tauri-driver: the WebDriver server the end-to-end tests talk to (it drives WebKitWebDriver).
# A proxy whose speed does not show beside the browser's, so compiled unoptimised: 22 s on 2
# cores instead of 44.
if [ "$want_test" = 1 ] && ! command -v tauri-driver >/dev/null 2>&1 \
   && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "Installing tauri-driver"
  cargo install tauri-driver --locked --version "^2" --config profile.release.opt-level=0
fi

# Tauri's CLI, for its bundler (`make package`). Pinned: 2.12.4 is the CLI of the tauri
# 2.12 line in Cargo.lock (its tauri-utils, ~2.10.2, is the lock's), so the bundler reads
# tauri.conf.json exactly as the app's build does. It is compiled in a target folder of its
# own, removed afterwards, and unoptimised but for the compression and checksums the bundler
# spends its time in: 4 minutes on 2 cores (420 CPU-seconds) instead of 12 (1,349) at
# Cargo's release settings, and the .deb it makes has the same files, md5sums and control
# file, made as fast (5.6-6.0 s for scripts/package.sh either way).
TAURI_CLI_VERSION=2.12.4
if [ "$want_package" = 1 ] \
   && ! cargo tauri --version 2>/dev/null | grep -qx "tauri-cli $TAURI_CLI_VERSION"; then
  echo "Installing tauri-cli $TAURI_CLI_VERSION"
  cli_target="$(mktemp -d)"
  unoptimised=(--config profile.release.opt-level=0)
  for hot in flate2 miniz_oxide zlib-rs libz-rs-sys crc32fast adler2 md5; do
    unoptimised+=(--config "profile.release.package.$hot.opt-level=3")
  done
  CARGO_TARGET_DIR="$cli_target" cargo install tauri-cli --locked --version "$TAURI_CLI_VERSION" \
    "${unoptimised[@]}"
  rm -rf "$cli_target"
fi
