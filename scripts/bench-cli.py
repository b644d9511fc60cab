#!/usr/bin/env python3
"""`cairn search` and `cairn list` side by side with `rg -il` and `adrs` on the same files, in
one hyperfine run each (whole processes, warm index and caches), printing each Cairn
command's mean as a ratio of its yardstick's mean measured in that same run. The machines
this runs on are shared and noisy: the ratios are the figures to compare, not the times.

usage: scripts/bench-cli.py [--100k] [--runs R]

Builds the release CLI, then builds the corpora it lacks with ../shared/bench/gencorpus.py
(override with GENCORPUS=…) into $BENCH_DIR (default /tmp/cairn-bench-cli): c10k (10,000
decisions) and, with --100k, c100k (100,000), each committed to Git. Cairn's caches go to
$BENCH_DIR/cache-N through CAIRN_CACHE_DIR, never the user's. Also reports the full index
build (`cairn reindex`) with its peak memory (/usr/bin/time), and the load average.
"""
import json, os, shutil, subprocess, sys, tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.environ.get('BENCH_DIR', '/tmp/cairn-bench-cli')
GEN = os.environ.get('GENCORPUS', os.path.join(REPO, '..', 'shared', 'bench', 'gencorpus.py'))
CAIRN = os.path.join(REPO, 'target', 'release', 'cairn')
DOCS = 'docs/decisions'

# (label, cairn arguments, yardstick command): a word in ~15% of the files, one in ~1%, two
# words, a phrase and a filtered query; each against `rg -il` of the same text (for two
# words, of the first: rg has no AND of two words in one file), then the log.
CASES = [
    ('search database (~15%)', 'search database', f'rg -il database {DOCS}'),
    ('search tenant (~1.5%)', 'search tenant', f'rg -il tenant {DOCS}'),
    ('search event sourcing', 'search event sourcing', f'rg -il event {DOCS}'),
    ('search "event sourcing"', 'search \'"event sourcing"\'', f"rg -il 'event sourcing' {DOCS}"),
    ('search cache status:accepted tag:database', 'search cache status:accepted tag:database',
     f'rg -il cache {DOCS}'),
    ('search tenant vs adrs', 'search tenant', 'adrs --ng search tenant'),
    ('list vs adrs', 'list', 'adrs --ng list'),
    ('list vs rg -il tenant', 'list', f'rg -il tenant {DOCS}'),
    ('show 42 vs rg -il tenant', 'show 42', f'rg -il tenant {DOCS}'),
]


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def corpus(n):
    ws = os.path.join(BENCH, f'c{n // 1000}k')
    if not os.path.isdir(os.path.join(ws, '.git')):
        shutil.rmtree(ws, ignore_errors=True)
        sh(f'python3 {GEN} {ws} {n}')
        # adrs finds its folder through adr-tools' marker; Cairn finds docs/decisions anyway.
        with open(os.path.join(ws, '.adr-dir'), 'w') as f:
            f.write(DOCS + '\n')
        sh('git init -q && git add -A && git -c user.name=bench -c user.email=bench@invalid '
           'commit -q -m corpus', cwd=ws)
    return ws


def mean(results, cmd):
    return next(r['mean'] for r in results if r['command'] == cmd)


def run(n, runs):
    ws = corpus(n)
    env = dict(os.environ, CAIRN_CACHE_DIR=os.path.join(BENCH, f'cache-{n}'))
    print(f'\n## {n} decisions ({ws}); load average {os.getloadavg()[0]:.2f}', flush=True)
    timed = subprocess.run(['/usr/bin/time', '-f', '%e s wall, %M KB peak RSS', CAIRN, 'reindex'],
                           cwd=ws, env=env, capture_output=True, text=True, check=True)
    print(f'index build (cairn reindex): {timed.stderr.strip().splitlines()[-1]}')
    sh(f'{CAIRN} list > /dev/null', cwd=ws, env=env)  # warm the row cache
    have_adrs = shutil.which('adrs') is not None
    print(f'{"case":44} {"cairn ms":>9} {"yardstick ms":>13} {"ratio":>6}')
    for label, args, yard in CASES:
        if yard.startswith('adrs') and not have_adrs:
            continue
        cmd = f'{CAIRN} {args}'
        with tempfile.NamedTemporaryFile(suffix='.json') as out:
            # A list, not a shell line: hyperfine splits each command itself, quotes included.
            subprocess.run(['hyperfine', '-N', '-i', '-w', '3', '-r', str(runs), '--export-json',
                            out.name, cmd, yard], cwd=ws, env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            results = json.load(open(out.name))['results']
        c, y = mean(results, cmd) * 1000, mean(results, yard) * 1000
        print(f'{label:44} {c:9.1f} {y:13.1f} {c / y:6.2f}   ({yard})', flush=True)
    print(f'load average after: {os.getloadavg()[0]:.2f}')


def main():
    args = sys.argv[1:]
    runs = int(args[args.index('--runs') + 1]) if '--runs' in args else 20
    os.makedirs(BENCH, exist_ok=True)
    # The selection `make build` uses: features are resolved per selection, so `-p cairn-cli`
    # alone would build a second `cairn` over the first.
    sh('cargo build --release --locked -p cairn-cli -p cairn-desktop', cwd=REPO)
    run(10_000, runs)
    if '--100k' in args:
        run(100_000, runs)


if __name__ == '__main__':
    main()
