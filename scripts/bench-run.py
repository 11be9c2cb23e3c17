#!/usr/bin/env python3
"""Times commands in alternation and records wall time, CPU time and peak memory.

usage: scripts/bench-run.py CASES.tsv RESULTS.json --runs N

CASES.tsv holds one case a line: `NAME<TAB>COMMAND` (COMMAND split on spaces; no quoting).
Every case runs once as a warm-up (its output checked: a failing case is reported and not
timed), then N rounds run every case once each, in the file's order, so that anpham and
its peers alternate and share the machine's ups and downs. Before each run the page cache's dirty
data is written out (`os.sync()`, untimed), so no run waits for the writes of the one before. Each run's wall time is taken
around fork/exec; user + system CPU time and the peak resident set size come from the
kernel (wait4's rusage: the child and the children it waited for). RESULTS.json gets every
run and the medians; one line a round goes to stderr.
"""

import json
import os
import statistics
import subprocess
import sys
import time


def run(cmd, log):
    # Every run starts with no dirty data in the page cache: otherwise a run that syncs its
    # output (anpham fsyncs before renaming) waits for the previous run's unwritten output
    # (a peer's 60-800 MB) to reach the disk too. The run still pays for its own writes.
    os.sync()
    start = time.perf_counter()
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def main():
    cases_path, results_path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    cases = []
    for line in open(cases_path, encoding="utf-8"):
        if line.strip():
            name, cmd = line.rstrip("\n").split("\t", 1)
            cases.append((name, cmd.split()))
    logs = os.path.dirname(os.path.abspath(results_path))
    results = {}
    for name, cmd in cases:
        log = os.path.join(logs, name + ".log")
        open(log, "w").close()
        code, wall, cpu, rss = run(cmd, log)
        if code != 0:
            print("bench: %s failed (exit %d): %s; see %s" % (name, code, " ".join(cmd), log),
                  file=sys.stderr)
            results[name] = {"cmd": " ".join(cmd), "failed": True}
        else:
            results[name] = {"cmd": " ".join(cmd), "runs": []}
        print("  warm-up %-22s %7.3f s" % (name, wall), file=sys.stderr)
    for r in range(runs):
        line = []
        for name, cmd in cases:
            if results[name].get("failed"):
                continue
            code, wall, cpu, rss = run(cmd, os.path.join(logs, name + ".log"))
            if code != 0:
                results[name]["failed"] = True
                continue
            results[name]["runs"].append({"wall": wall, "cpu": cpu, "rss_kb": rss})
            line.append("%s %.2f" % (name, wall))
        print("  round %d/%d (load %s): %s" % (
            r + 1, runs, open("/proc/loadavg").read().split()[0], ", ".join(line)), file=sys.stderr)
    for name, res in results.items():
        rs = res.get("runs") or []
        if rs and not res.get("failed"):
            res["wall"] = statistics.median(x["wall"] for x in rs)
            res["cpu"] = statistics.median(x["cpu"] for x in rs)
            res["rss_kb"] = statistics.median(x["rss_kb"] for x in rs)
            res["cpu_per_wall"] = statistics.median(x["cpu"] / x["wall"] for x in rs)
    json.dump(results, open(results_path, "w"), indent=1)


if __name__ == "__main__":
    main()
