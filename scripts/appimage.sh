#!/usr/bin/env bash
# The AppImage, made from the .deb that Tauri's bundler made, so both packages hold the same
# files. Tauri's own AppImage step runs linuxdeploy, which it downloads from GitHub; this
# project's machines reach only the package registries. So the two parts of an AppImage
# come from there instead: the runtime (AppImageKit's type 2 runtime, the ELF stub that
# mounts or extracts what follows it) from the `appimage` crate on crates.io, pinned by
# packaging/appimage-runtime/Cargo.lock and checked below, and the squashfs image from
# Debian's mksquashfs. Like the .deb, the AppImage uses the system's WebKitGTK 4.1 and GTK 3
# rather than carrying its own copies (which is what linuxdeploy's GTK plugin would add).
#
# Usage: scripts/appimage.sh DEB OUT_DIR. Prints the path of the AppImage it made.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
deb="$1"
out="$2"

fail() { echo "appimage: $*" >&2; exit 1; }

# The runtime exists for x86_64 only in the crate; elsewhere there is no AppImage.
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] \
  || fail "the pinned AppImage runtime is for x86_64 only, and $deb is $(dpkg-deb -f "$deb" Architecture)"
command -v mksquashfs >/dev/null || fail "mksquashfs is missing: apt install squashfs-tools"

# --- The runtime, from crates.io ------------------------------------------------------
RUNTIME_SHA256=328e0d745c5c6817048c27bc3e8314871703f8f47ffa81a37cb06cd95a94b323
pin="$root/packaging/appimage-runtime/Cargo.toml"
crate="$(cargo metadata --locked --format-version 1 --filter-platform x86_64-unknown-linux-gnu \
    --manifest-path "$pin" \
  | python3 -c 'import json, sys, os
print(next(os.path.dirname(p["manifest_path"]) for p in json.load(sys.stdin)["packages"]
           if p["name"] == "appimage"))')" || fail "could not fetch the appimage crate ($pin)"
runtime="$crate/assets/runtime-x86_64"
echo "$RUNTIME_SHA256  $runtime" | sha256sum --check --quiet \
  || fail "$runtime is not the runtime this script was written for (sha256 differs)"

# --- The AppDir: the .deb's files, and the entries an AppImage needs at its top ---------
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
appdir="$work/Cairn.AppDir"
dpkg-deb -x "$deb" "$appdir"
desktop=("$appdir"/usr/share/applications/*.desktop)
[ ${#desktop[@]} -eq 1 ] || fail "expected one .desktop entry in $deb (found ${#desktop[@]})"
cp "${desktop[0]}" "$appdir/"
icon="$(sed -n 's/^Icon=//p' "${desktop[0]}")"
cp "$appdir/usr/share/icons/hicolor/256x256/apps/$icon.png" "$appdir/$icon.png"
ln -s "$icon.png" "$appdir/.DirIcon"
cat >"$appdir/AppRun" <<'EOF'
#!/bin/sh
# Cairn's AppImage: the desktop app, or the `cairn` command line when the AppImage is started
# through a link named cairn (`ln -s Cairn_….AppImage ~/.local/bin/cairn`; the runtime sets
# ARGV0 to the name it was started by).
here="$(dirname "$(readlink -f "$0")")"
case "${ARGV0##*/}" in
  cairn) exec "$here/usr/bin/cairn" "$@" ;;
esac
exec "$here/usr/bin/cairn-desktop" "$@"
EOF
chmod 755 "$appdir/AppRun"

# --- The image: the runtime, then the squashfs ----------------------------------------
# The files' times are the commit's (SOURCE_DATE_EPOCH), so the same tree gives the same image.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}"
mksquashfs "$appdir" "$work/image.squashfs" -root-owned -noappend -comp gzip -quiet >/dev/null
mkdir -p "$out"
image="$out/$(basename "$deb" .deb).AppImage"
cat "$runtime" "$work/image.squashfs" >"$image"
chmod 755 "$image"
echo "$image"
