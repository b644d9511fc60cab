#!/usr/bin/env bash
# `cairn site` against log4brains on the same decisions, in one run (docs/benchmarks.md).
#   scripts/bench-site.sh [N ...]        default: 1000 10000
# Corpora come from ../shared/bench/gencorpus.py (deterministic, real ADR paragraphs) and
# are kept in $BENCH_DIR (default /tmp/cairn-bench-site) between runs. log4brains is run
# on the 1,000-decision corpus when $LOG4BRAINS names its binary
# (npm install log4brains; node_modules/.bin/log4brains).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH_DIR:-/tmp/cairn-bench-site}"
gen="$root/../shared/bench/gencorpus.py"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
mkdir -p "$bench"
export XDG_CACHE_HOME="$bench/cache"

cargo build --release --locked -p cairn-cli --manifest-path "$root/Cargo.toml"
cairn="${CARGO_TARGET_DIR:-$root/target}/release/cairn"

corpus() {
  local dir="$bench/c$1"
  if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir"
    python3 "$gen" "$dir" "$1" >/dev/null
    git -C "$dir" init -q
    printf -- '---\nproject:\n  name: bench\n  tz: Etc/UTC\n  adrFolder: ./docs/decisions\n' > "$dir/.log4brains.yml"
    git -C "$dir" add -A
    git -C "$dir" -c user.name=bench -c user.email=bench@example.com commit -qm corpus
  fi
  echo "$dir"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for n in "${sizes[@]}"; do
  dir="$(corpus "$n")"
  out="$bench/site$n"
  for f in "$dir"/docs/decisions/*.md; do one="$(basename "$f")"; break; done
  "$cairn" -C "$dir" site -o "$out" >/dev/null   # warms the history cache
  cmds=(
    -n "cairn site, $n, new folder" --prepare "rm -rf $out" "$cairn -C $dir site -o $out"
    -n "cairn site, $n, one file changed" --prepare "echo >> $dir/docs/decisions/$one" "$cairn -C $dir site -o $out"
  )
  if [ "$n" = 1000 ] && [ -n "${LOG4BRAINS:-}" ]; then
    cmds+=(-n "log4brains build, $n" --prepare "rm -rf $bench/l4b-out" "cd $dir && $LOG4BRAINS build --out $bench/l4b-out")
  fi
  hyperfine -w 1 -r "${RUNS:-5}" "${cmds[@]}" 2>&1 | grep -v "^ *$"
  git -C "$dir" checkout -q -- docs/decisions
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
