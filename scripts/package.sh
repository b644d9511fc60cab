#!/usr/bin/env bash
# `make package`: the .deb and the AppImage from the release binaries `make build` made. The
# .deb is Tauri's bundler's (`cargo tauri bundle`, so nothing is compiled a second time); the
# AppImage is made from the .deb by scripts/appimage.sh. src-tauri/tauri.conf.json gives the app, its .desktop entry and
# icons, and the version from Cargo; this script adds the `cairn` command line, its shell
# completions and its man page, made by the binary itself so they match it exactly.
#
# Usage: scripts/package.sh [TARGET_DIR]   (default: ./target; CARGO_TARGET_DIR is honoured)
# Prints the paths of the packages it made. Without an AppImage (another architecture than
# x86_64, or no mksquashfs) it says why and goes on, unless CAIRN_REQUIRE_APPIMAGE=1 (CI).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$(cd "${1:-${CARGO_TARGET_DIR:-$root/target}}" && pwd)"
release="$target/release"
for bin in cairn cairn-desktop; do
  if [ ! -x "$release/$bin" ]; then
    echo "package: $release/$bin is missing: run \`make build\` first." >&2
    exit 1
  fi
done

extra="$target/package-extra"
rm -rf "$extra"
mkdir -p "$extra"
"$release/cairn" completions bash >"$extra/cairn.bash"
"$release/cairn" completions zsh >"$extra/_cairn"
"$release/cairn" completions fish >"$extra/cairn.fish"
# -n: no name or time stamp in the gzip header, so the same binary gives the same file.
"$release/cairn" man | gzip -9n >"$extra/cairn.1.gz"
# The release build keeps line tables for backtraces in development; the packaged binaries go
# without them (300 MB down to 50 MB installed). The symbols stay, so a backtrace from an
# installed Cairn still names its functions.
objcopy --strip-debug "$release/cairn" "$extra/cairn"

# The files each package holds besides the app, destination <- source. Built here rather
# than written into tauri.conf.json because the sources live in the target folder, which
# CARGO_TARGET_DIR may move.
config="$extra/bundle.json"
python3 - "$extra" "$root" >"$config" <<'EOF'
import json, sys
extra, root = sys.argv[1], sys.argv[2]
files = {
    "/usr/bin/cairn": f"{extra}/cairn",
    "/usr/share/bash-completion/completions/cairn": f"{extra}/cairn.bash",
    "/usr/share/zsh/vendor-completions/_cairn": f"{extra}/_cairn",
    "/usr/share/fish/vendor_completions.d/cairn.fish": f"{extra}/cairn.fish",
    "/usr/share/man/man1/cairn.1.gz": f"{extra}/cairn.1.gz",
    # Mermaid's browser bundle, which `cairn site` copies into sites with diagrams (it looks
    # in ../share/cairn beside its binary); the UI's `npm ci` fetched it.
    "/usr/share/cairn/mermaid.min.js": f"{root}/ui/node_modules/mermaid/dist/mermaid.min.js",
}
print(json.dumps({"bundle": {"linux": {"deb": {"files": files}}}}))
EOF

bundle_dir="$release/bundle"
# The bundler takes the app from target/release and patches it in place (a marker naming the
# package type, for Tauri's updater). It gets a stripped copy; the trap puts back the binary
# Cargo built, so `make build` does not see it changed.
cp -p "$release/cairn-desktop" "$extra/cairn-desktop.built"
trap 'mv -f "$extra/cairn-desktop.built" "$release/cairn-desktop"' EXIT
objcopy --strip-debug "$extra/cairn-desktop.built" "$release/cairn-desktop"
cd "$root/src-tauri"
rm -rf "$bundle_dir/deb" "$bundle_dir/appimage"
cargo tauri bundle --bundles deb --config "$config"
debs=("$bundle_dir"/deb/*.deb)
ls "${debs[@]}"

# The AppImage holds the .deb's files; see scripts/appimage.sh for where its tools come from.
if ! "$root/scripts/appimage.sh" "${debs[0]}" "$bundle_dir/appimage"; then
  echo "package: no AppImage (the reason is above)" >&2
  if [ "${CAIRN_REQUIRE_APPIMAGE:-0}" = 1 ]; then exit 1; fi
fi
