#!/usr/bin/env bash
# `make package`: the .deb (and the AppImage where its tools can be had) from the release
# binaries `make build` made, with Tauri's bundler (`cargo tauri bundle`, so nothing is
# compiled a second time). src-tauri/tauri.conf.json gives the app, its .desktop entry and
# icons, and the version from Cargo; this script adds the `cairn` command line, its shell
# completions and its man page, made by the binary itself so they match it exactly.
#
# Usage: scripts/package.sh [TARGET_DIR]   (default: ./target; CARGO_TARGET_DIR is honoured)
# Prints the paths of the packages it made. CAIRN_REQUIRE_APPIMAGE=1 makes a missing
# AppImage an error.
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

# The files each package holds besides the app, destination <- source. Built here rather
# than written into tauri.conf.json because the sources live in the target folder, which
# CARGO_TARGET_DIR may move.
config="$extra/bundle.json"
python3 - "$release" "$extra" "$root" >"$config" <<'EOF'
import json, sys
release, extra, root = sys.argv[1], sys.argv[2], sys.argv[3]
files = {
    "/usr/bin/cairn": f"{release}/cairn",
    "/usr/share/bash-completion/completions/cairn": f"{extra}/cairn.bash",
    "/usr/share/zsh/vendor-completions/_cairn": f"{extra}/_cairn",
    "/usr/share/fish/vendor_completions.d/cairn.fish": f"{extra}/cairn.fish",
    "/usr/share/man/man1/cairn.1.gz": f"{extra}/cairn.1.gz",
    # Mermaid's browser bundle, which `cairn site` copies into sites with diagrams (it looks
    # in ../share/cairn beside its binary); the UI's `npm ci` fetched it.
    "/usr/share/cairn/mermaid.min.js": f"{root}/ui/node_modules/mermaid/dist/mermaid.min.js",
}
print(json.dumps({"bundle": {"linux": {"deb": {"files": files}, "appimage": {"files": files}}}}))
EOF

bundle_dir="$release/bundle"
# The bundler patches the app binary in place (a marker naming the package type, for Tauri's
# updater), once per package type; the copy keeps target/release/cairn-desktop as Cargo
# built it, so every package starts from the same binary and `make run` runs the unpatched one.
cp -p "$release/cairn-desktop" "$extra/cairn-desktop.built"
trap 'mv -f "$extra/cairn-desktop.built" "$release/cairn-desktop"' EXIT
cd "$root/src-tauri"
rm -rf "$bundle_dir/deb" "$bundle_dir/appimage"
cargo tauri bundle --bundles deb --config "$config"
ls "$bundle_dir"/deb/*.deb
cp -p "$extra/cairn-desktop.built" "$release/cairn-desktop"

# The AppImage: Tauri's bundler runs linuxdeploy, which it downloads from GitHub on first
# use into ~/.cache/tauri. Where GitHub cannot be reached (this project's machines reach
# only the package registries) there is no AppImage, and the reason is said.
if cargo tauri bundle --bundles appimage --config "$config" >"$extra/appimage.log" 2>&1; then
  ls "$bundle_dir"/appimage/*.AppImage
else
  echo "package: no AppImage: Tauri's bundler could not run linuxdeploy (last lines of $extra/appimage.log):" >&2
  tail -n 3 "$extra/appimage.log" >&2
  if [ "${CAIRN_REQUIRE_APPIMAGE:-0}" = 1 ]; then exit 1; fi
fi
