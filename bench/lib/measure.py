"""Shared timing for curator's benchmarks: run a command several times,
report the median wall time, CPU time and the peak RSS of the process."""
import os
import statistics
import subprocess
import tempfile
import time


def run_once(argv, stdin_path=None, stdout=subprocess.DEVNULL, env=None):
    """Runs argv once; returns (wall s, cpu s, peak RSS KiB, exit code).

    The peak RSS is measured by GNU time around the command: the rusage of
    a child forked from Python would count Python's own pages, copied by
    fork before exec."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    fd, report = tempfile.mkstemp(prefix="curator-bench-")
    os.close(fd)
    try:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-q", "-f", "%U %S %M",
                               "-o", report] + list(argv),
                              stdin=stdin, stdout=stdout,
                              stderr=subprocess.DEVNULL, env=env)
        wall = time.perf_counter() - start
        with open(report) as fp:
            user, system, rss = fp.read().split()[-3:]
    finally:
        os.unlink(report)
        if stdin_path:
            stdin.close()
    return wall, float(user) + float(system), int(rss), proc.returncode


def measure(argv, runs=5, **kw):
    """Median wall and CPU over runs, and the largest peak RSS seen."""
    walls, cpus, rss = [], [], 0
    for _ in range(runs):
        wall, cpu, peak, code = run_once(argv, **kw)
        if code != 0:
            raise SystemExit(f"bench: {' '.join(argv)} exited {code}")
        walls.append(wall)
        cpus.append(cpu)
        rss = max(rss, peak)
    return statistics.median(walls), statistics.median(cpus), rss
