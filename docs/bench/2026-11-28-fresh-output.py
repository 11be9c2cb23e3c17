"""Bulletin PDF built over its previous output against into a folder removed (untimed) before
each run: shows the cost of replacing a 60 MB file (ext4 frees its blocks in `rename`).

Usage: python3 2026-11-28-fresh-output.py ANPHAM BENCH_INPUT_DIR OUT_DIR [RUNS]
(the session-5 run: the release binary of 4c21f8b, /work/wt-speed/target/bench/input, 9 runs).
"""
import os, shutil, statistics, sys, time

anpham, inputs, out = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 9
args = ['build', '-q', f'{inputs}/real-100-1600x1067.toml', '--format', 'pdf', '--scale', 'large',
        '--page-size', 'a5', '-o']
cases = {'replace': f'{out}/replace', 'fresh': f'{out}/fresh'}
res = {k: [] for k in cases}
for _ in range(runs):
    for k, dst in cases.items():
        if k == 'fresh':
            shutil.rmtree(dst, ignore_errors=True)
        os.sync()  # untimed, as scripts/bench-run.py
        t = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.execv(anpham, [anpham, *args, dst])
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t
        assert status == 0, k
        res[k].append((wall, ru.ru_utime + ru.ru_stime))
for k, v in res.items():
    print(k, 'wall %.3f cpu %.3f cpu/wall %.2f' % (
        statistics.median(w for w, _ in v), statistics.median(c for _, c in v),
        statistics.median(c / w for w, c in v)))
