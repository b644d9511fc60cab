#!/usr/bin/env bash
# Copies the demo workspace to the user's data folder on first run, so trying Cairn never
# touches this checkout, and makes it a Git repository so every change is a commit.
set -euo pipefail
demo="$1"
if [ -d "$demo" ]; then exit 0; fi
mkdir -p "$(dirname "$demo")"
cp -R "$(dirname "$0")/../adr-templates/demo" "$demo"
git -C "$demo" init -q
git -C "$demo" add -A
if [ -z "$(git -C "$demo" config user.email || true)" ]; then
  git -C "$demo" config user.name "Cairn demo"
  git -C "$demo" config user.email "demo@cairn.invalid"
fi
git -C "$demo" commit -qm "Demo workspace"
echo "Copied the demo workspace to $demo"
