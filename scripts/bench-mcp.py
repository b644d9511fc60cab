#!/usr/bin/env python3
"""Times `cairn mcp` as an agent meets it, over raw JSON-RPC on stdio (no SDK in between, so
the figures are the server's): a warm start (process start to `initialize` answered, and to
the first search answered with the index already built on disk), and `search` calls on a
running server (p50, p95), with `rg -il` over the same files in the same run for scale.

usage: bench-mcp.py CAIRN WORKSPACE [ROUNDS]
"""
import json, os, statistics, subprocess, sys, time

cairn, ws = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 50
QUERIES = ['database', 'tenant', 'kafka', 'event sourcing', '"message queue"',
           'database status:accepted', 'security tag:api', 'observ']


class Server:
    def __init__(self):
        self.p = subprocess.Popen([cairn, 'mcp'], cwd=ws, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.next_id = 0

    def call(self, method, params):
        self.next_id += 1
        msg = {'jsonrpc': '2.0', 'id': self.next_id, 'method': method, 'params': params}
        self.p.stdin.write(json.dumps(msg) + '\n')
        self.p.stdin.flush()
        while True:
            reply = json.loads(self.p.stdout.readline())
            if reply.get('id') == self.next_id:
                if 'error' in reply or reply.get('result', {}).get('isError'):
                    raise SystemExit(f'{method} failed: {reply}')
                return reply['result']

    def initialize(self):
        r = self.call('initialize', {'protocolVersion': '2025-06-18', 'capabilities': {},
                                     'clientInfo': {'name': 'bench', 'version': '1'}})
        self.p.stdin.write(json.dumps({'jsonrpc': '2.0', 'method': 'notifications/initialized'}) + '\n')
        self.p.stdin.flush()
        return r

    def search(self, q):
        return self.call('tools/call', {'name': 'search', 'arguments': {'query': q, 'limit': 20}})

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def ms(t0):
    return (time.perf_counter() - t0) * 1000


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


# One start to build the index on disk; the starts measured below find it warm.
s = Server(); s.initialize(); s.search('database'); s.close()

init, first = [], []
for _ in range(10):
    t0 = time.perf_counter()
    s = Server()
    s.initialize()
    init.append(ms(t0))
    s.search('database')
    first.append(ms(t0))
    s.close()
print(f'warm start to initialize answered: median {statistics.median(init):.1f} ms '
      f'(min {min(init):.1f}, max {max(init):.1f}), 10 starts')
print(f'warm start to first search answered: median {statistics.median(first):.1f} ms '
      f'(min {min(first):.1f}, max {max(first):.1f})')

s = Server(); s.initialize(); s.search('database')
print(f'search on a running server, {rounds} calls per query:')
print(f'  {"query":28} {"hits":>6} {"p50 ms":>7} {"p95 ms":>7} {"rg -il ms":>10}')
alls = []
for q in QUERIES:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        r = s.search(q)
        times.append(ms(t0))
    alls += times
    hits = r['structuredContent']['total']
    word = q.split()[0].strip('"')
    if ':' in word:
        word = q.split()[0]
    t0 = time.perf_counter()
    subprocess.run(['rg', '-il', word, os.path.join(ws, 'docs', 'decisions')],
                   stdout=subprocess.DEVNULL)
    rg = ms(t0)
    print(f'  {q:28} {hits:>6} {pct(times, 50):>7.2f} {pct(times, 95):>7.2f} {rg:>10.1f}')
print(f'  all queries: p50 {pct(alls, 50):.2f} ms, p95 {pct(alls, 95):.2f} ms, p99 {pct(alls, 99):.2f} ms')
s.close()
