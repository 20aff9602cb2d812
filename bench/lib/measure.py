"""Shared timing for curator's benchmarks: run a command several times,
report the median wall time, CPU time and the peak RSS of the process."""
import os
import resource
import statistics
import subprocess
import time


def run_once(argv, stdin_path=None, stdout=subprocess.DEVNULL, env=None):
    """Runs argv once; returns (wall s, cpu s, peak RSS KiB, exit code)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=stdin, stdout=stdout,
                                stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    finally:
        if stdin_path:
            stdin.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss, proc.returncode


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
