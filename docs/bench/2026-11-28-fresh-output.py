"""Bulletin PDF built over its previous output against into a folder removed (untimed) before
each run: shows the cost of replacing a 60 MB file (ext4 frees its blocks in `rename`).

Usage: python3 2026-11-28-fresh-output.py ANPHAM BENCH_INPUT_DIR OUT_DIR [RUNS]
ANPHAM is a binary, or NAME=BINARY,NAME=BINARY,... to alternate several.
(Session 5: the release binary of 4c21f8b, /work/wt-speed/target/bench/input, 9 runs;
session 6: head=<8bab2ef>,new=<its release binary>, same input, 9 runs.)
The last column is the median of the runs' CPU/wall ratios.
"""
import os, shutil, statistics, sys, time

spec, inputs, out = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 9
binaries = dict(b.split('=', 1) if '=' in b else ('anpham', b) for b in spec.split(','))
args = ['build', '-q', f'{inputs}/real-100-1600x1067.toml', '--format', 'pdf', '--scale', 'large',
        '--page-size', 'a5', '-o']
res = {}
for _ in range(runs):
    for name, anpham in binaries.items():
        for case in ('replace', 'fresh'):
            dst = f'{out}/{name}-{case}'
            if case == 'fresh':
                shutil.rmtree(dst, ignore_errors=True)
            os.sync()  # untimed, as scripts/bench-run.py
            t = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                os.execv(anpham, [anpham, *args, dst])
            _, status, ru = os.wait4(pid, 0)
            wall = time.perf_counter() - t
            assert status == 0, (name, case)
            res.setdefault(f'{name} {case}', []).append((wall, ru.ru_utime + ru.ru_stime))
for k, v in res.items():
    print(k, 'wall %.3f cpu %.3f cpu/wall %.2f' % (
        statistics.median(w for w, _ in v), statistics.median(c for _, c in v),
        statistics.median(c / w for w, c in v)))
