#!/usr/bin/env bash
# `make test-package`: installs the .deb that `make package` made, as a user would
# (`apt-get install ./cairn….deb`), and checks what it promises: `cairn --version`, the shell
# completions, the man page, the .desktop entry and icons, and the installed app opening the
# demo workspace in a window (under Xvfb, with a screenshot). Then it removes the package and
# checks that every file it installed is gone. The AppImage, where one was made, is run with
# --appimage-extract-and-run (no FUSE needed) and checked the same way.
#
# Usage: scripts/test-package.sh [TARGET_DIR]. Needs root or sudo (it installs a package).
# Exits non-zero, with the reason, at the first check that fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$(cd "${1:-${CARGO_TARGET_DIR:-$root/target}}" && pwd)"
release="$target/release"
out="$target/package-test"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
ok() { echo "test-package: ok: $*"; }

shopt -s nullglob
debs=("$release"/bundle/deb/*.deb)
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb in $release/bundle/deb (found ${#debs[@]}): run \`make package\`"
deb="${debs[0]}"
pkg="$(dpkg-deb -f "$deb" Package)"
rm -rf "$out"
mkdir -p "$out"
# The app keeps its recent workspaces and the search index under HOME: a throwaway one.
export HOME="$out/home" XDG_DATA_HOME="$out/home/data" XDG_CONFIG_HOME="$out/home/config" \
  XDG_CACHE_HOME="$out/home/cache"
mkdir -p "$HOME"
"$root/scripts/demo.sh" "$out/demo" >/dev/null

# The window check: starts CMD under Xvfb, waits (polling, up to a minute) for a window named
# Cairn and for the web view to have drawn it (a screenshot with more than a few colours),
# saves the screenshot as PNG and ends the app.
check_window() {
  local png="$1"
  shift
  WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1 \
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
      png="$1"; shift
      "$@" >"$png.log" 2>&1 &
      app=$!
      for _ in $(seq 1 120); do
        if xdotool search --name "^Cairn" >/dev/null 2>&1; then
          import -window root "$png" 2>/dev/null || true
          colours=$(identify -format "%k" "$png" 2>/dev/null || echo 0)
          if [ "${colours:-0}" -gt 200 ]; then
            # An AppImage runtime removes its extracted copy once its child, the app, has
            # ended; ending the runtime itself would leave the copy behind. So the app ends
            # first, and the runtime gets ten seconds to tidy up.
            pkill -TERM -P "$app" -x cairn-desktop || kill "$app"
            for _ in $(seq 1 20); do kill -0 "$app" 2>/dev/null || break; sleep 0.5; done
            kill "$app" 2>/dev/null; wait "$app" 2>/dev/null; exit 0
          fi
        fi
        if ! kill -0 "$app" 2>/dev/null; then echo "the app exited early:" >&2; tail -5 "$png.log" >&2; exit 1; fi
        sleep 0.5
      done
      kill "$app"; echo "no drawn window named Cairn within 60 s" >&2; exit 1
    ' _ "$png" "$@"
}

# --- The .deb --------------------------------------------------------------------------
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
  echo "test-package: $pkg is installed already; purging it first"
  $SUDO apt-get remove --purge -y -qq "$pkg" >/dev/null
fi
# A failed check leaves no package behind either.
cleanup() {
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    $SUDO apt-get remove --purge -y -qq "$pkg" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
echo "test-package: installing $deb"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$out/apt-install.log" 2>&1 \
  || { tail -20 "$out/apt-install.log" >&2; fail "apt-get install $deb"; }
dpkg-query -L "$pkg" >"$out/files.txt"

expected="$("$release/cairn" --version)"
got="$(/usr/bin/cairn --version)" || fail "/usr/bin/cairn --version"
[ "$got" = "$expected" ] || fail "cairn --version said '$got', the build says '$expected'"
echo "$got" | grep -Eq '^cairn [0-9]+\.[0-9]+\.[0-9]+[^ ]* \(commit ([0-9a-f]{12}|unknown)\)$' \
  || fail "cairn --version: '$got' is not 'cairn X.Y.Z (commit …)'"
ok "cairn --version: $got"
[ -x /usr/bin/cairn-desktop ] || fail "/usr/bin/cairn-desktop is missing"
for bin in /usr/bin/cairn /usr/bin/cairn-desktop; do
  # Stripped of debug information (the release build's line tables were 250 MB of the two),
  # but with their symbols, so a backtrace still names functions.
  readelf -SW "$bin" | grep -Eq '\.debug_(info|line)' && fail "$bin still carries debug information"
  readelf -S "$bin" | grep -q '\.symtab' || fail "$bin has no symbols left"
done
ok "the binaries are stripped of debug information, $(dpkg-deb -f "$deb" Installed-Size) KiB installed"

bash -c 'source /usr/share/bash-completion/completions/cairn && complete -p cairn' >/dev/null \
  || fail "bash does not load the completions for cairn"
checked="bash"
if command -v zsh >/dev/null; then
  # Debian's zsh has /usr/share/zsh/vendor-completions in its default fpath.
  zsh -fc 'autoload -Uz compinit && compinit -u -d "$HOME/.zcompdump" && [[ ${_comps[cairn]} == _cairn ]]' \
    || fail "zsh does not load the completions for cairn"
  checked="$checked, zsh"
fi
if command -v fish >/dev/null; then
  # grep reads to the end (no -q): an early exit would kill fish with SIGPIPE, and pipefail
  # would report that as a failure.
  fish -c 'complete -C "cairn li"' | grep '^lint' >/dev/null \
    || fail "fish does not complete 'cairn li' to lint"
  checked="$checked, fish"
fi
ok "completions load in: $checked"

man_page="$(man -w cairn 2>/dev/null || true)"
[ "$man_page" = /usr/share/man/man1/cairn.1.gz ] || fail "man -w cairn gave '$man_page'"
zcat "$man_page" | grep '^\.TH cairn 1' >/dev/null || fail "$man_page is not a man page of cairn"
ok "man page: $man_page"

# A site with a diagram gets the Mermaid bundle the package installs.
mkdir -p "$out/diagram/docs/decisions"
printf -- '---\nstatus: accepted\n---\n# A diagram\n\n```mermaid\nflowchart LR\n  A --> B\n```\n' \
  >"$out/diagram/docs/decisions/0001-a-diagram.md"
cairn site "$out/diagram" -o "$out/diagram-site" >/dev/null || fail "cairn site failed"
cmp -s "$out/diagram-site/assets/mermaid.min.js" /usr/share/cairn/mermaid.min.js \
  || fail "the site of a diagram lacks the installed Mermaid bundle"
ok "cairn site draws diagrams with /usr/share/cairn/mermaid.min.js"

desktop="$(grep -E '^/usr/share/applications/.*\.desktop$' "$out/files.txt" || true)"
[ -n "$desktop" ] || fail "the package has no .desktop entry"
grep -q '^Exec=cairn-desktop' "$desktop" || fail "$desktop does not start cairn-desktop"
for size in 32x32 64x64 128x128 256x256; do
  grep -q "^/usr/share/icons/hicolor/$size/apps/" "$out/files.txt" || fail "no $size icon in the package"
done
ok "desktop entry $desktop with icons of 32, 64, 128 and 256 px"

check_window "$out/deb-window.png" /usr/bin/cairn-desktop "$out/demo" \
  || fail "the installed app did not show its window (log: $out/deb-window.png.log)"
ok "the installed app opened the demo: $out/deb-window.png"

$SUDO apt-get remove --purge -y -qq "$pkg" >/dev/null || fail "apt-get remove --purge $pkg"
left=0
while IFS= read -r path; do
  # Folders the package shares with others (/usr, /usr/bin, …) stay; its files must not.
  if [ -e "$path" ] && [ ! -d "$path" ]; then echo "  left behind: $path" >&2; left=1; fi
done <"$out/files.txt"
[ "$left" = 0 ] || fail "files of $pkg are still there after apt-get remove --purge"
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "installed"; then
  fail "$pkg is still installed"
fi
ok "removed: none of the $(wc -l <"$out/files.txt") paths the package listed is left"

# --- The AppImage ----------------------------------------------------------------------
images=("$release"/bundle/appimage/*.AppImage)
if [ ${#images[@]} -eq 0 ]; then
  echo "test-package: no AppImage was made (see \`make package\`'s message): AppImage not checked"
  exit 0
fi
image="${images[0]}"
before="$(ls -d /tmp/appimage_extracted_* 2>/dev/null | sort || true)"
(cd "$out" && "$image" --appimage-extract >/dev/null) || fail "$image --appimage-extract"
got="$("$out/squashfs-root/usr/bin/cairn" --version)" || fail "cairn --version in the AppImage"
[ "$got" = "$expected" ] || fail "the AppImage's cairn --version said '$got'"
for f in usr/share/bash-completion/completions/cairn usr/share/zsh/vendor-completions/_cairn \
         usr/share/fish/vendor_completions.d/cairn.fish usr/share/man/man1/cairn.1.gz; do
  [ -f "$out/squashfs-root/$f" ] || fail "the AppImage has no /$f"
done
ok "AppImage: cairn --version, completions and man page inside"
# Started through a link named cairn, the AppImage is the command line.
ln -sf "$image" "$out/cairn"
got="$(APPIMAGE_EXTRACT_AND_RUN=1 "$out/cairn" --version)" || fail "the AppImage as cairn --version"
[ "$got" = "$expected" ] || fail "the AppImage linked as cairn said '$got'"
ok "AppImage linked as cairn: $got"
check_window "$out/appimage-window.png" "$image" --appimage-extract-and-run "$out/demo" \
  || fail "the AppImage did not show its window (log: $out/appimage-window.png.log)"
after="$(ls -d /tmp/appimage_extracted_* 2>/dev/null | sort || true)"
[ "$before" = "$after" ] || fail "--appimage-extract-and-run left its extracted copy behind"
ok "the AppImage opened the demo and left nothing behind: $out/appimage-window.png"
