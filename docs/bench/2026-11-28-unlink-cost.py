"""How long this disk takes to free a file's blocks: unlink of a 10, 30 and 60 MB file
written and synced a second before (session 6). On the benchmark VM (ext4 mounted with
`discard`) the cost grows with the size, 0.55-0.8 ms per MB, whether or not the file's
pages are still cached; it is what `rename` pays when a build replaces its previous output.

Usage: python3 2026-11-28-unlink-cost.py DIR   (DIR on the disk to measure)
"""
import os, sys, time

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
data = os.urandom(60 << 20)
for size in (60, 30, 10):
    for _ in range(2):
        path = os.path.join(d, 'old')
        with open(path, 'wb') as f:
            f.write(data[:size << 20])
            f.flush()
            os.fsync(f.fileno())
        time.sleep(1.0)
        t = time.perf_counter()
        os.unlink(path)
        print(f'{size} MB: unlink {1000 * (time.perf_counter() - t):.1f} ms')
