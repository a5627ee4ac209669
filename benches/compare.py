#!/usr/bin/env python3
"""Times auexplain against ausearch/aureport on the same log, mode by mode.

usage: python3 benches/compare.py [--mb 100] [--log FILE] [--runs 3] [--no-peers]

Builds (or takes) a realistic log with ../shared/bench/mkbench.py, plus a log of
EXECVE records with long hex arguments (8,000 hex characters each), then runs
every mode with output to /dev/null and prints MB/s with one thread and with
the default thread count, the ratio to each peer measured in the same run, and
peak RSS. Each command's best wall time of
--runs runs counts (peers run once: they are slow). The runs go round every
command in turn rather than repeat one command back to back, so that a slow
spell of the machine (common on a shared VM) falls on all modes alike instead
of on one. Needs a release build: `cargo build --release`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "auexplain")
SHARED = os.path.join(ROOT, "..", "shared")


TIME = shutil.which("time") or "/usr/bin/time"


def run_once(cmd):
    """Wall seconds and peak RSS (KiB) of one run, output to /dev/null.

    RSS comes from /usr/bin/time (GNU time, Debian's `time`): a child forked
    from Python would otherwise report the interpreter's pages as its own.
    """
    env = dict(os.environ, TZ="UTC", LC_ALL="C", NO_COLOR="1")
    with tempfile.NamedTemporaryFile("r") as rss_file, open(os.devnull, "wb") as null:
        start = time.perf_counter()
        proc = subprocess.run([TIME, "-f", "%M", "-o", rss_file.name] + cmd,
                              stdout=null, stderr=null, env=env)
        wall = time.perf_counter() - start
        lines = [l for l in rss_file.read().splitlines() if l.strip().isdigit()]
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, int(lines[-1]) if lines else 0


def best(cmd, runs):
    results = [run_once(cmd) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def best_in_rounds(cmds, runs):
    """Best wall time and peak RSS of each command, over `runs` rounds that
    each run every command once, in turn."""
    results = {c: [] for c in cmds}
    for _ in range(runs):
        for c in cmds:
            results[c].append(run_once(list(c)))
    return {c: (min(r[0] for r in rs), max(r[1] for r in rs)) for c, rs in results.items()}


def one_thread(cmd):
    """The command with `--threads 1` before its last argument (the log)."""
    return tuple(cmd[:-1] + ["--threads", "1", cmd[-1]])


def long_hex_log(path, megabytes):
    """EXECVE-heavy events whose four arguments are 8,000 hex characters each."""
    arg = ("2D2D" + "41" * 3998).upper()
    ms, serial, written = 1_700_000_000_000, 1, 0
    with open(path, "w") as f:
        while written < megabytes * 1024 * 1024:
            stamp = f"msg=audit({ms // 1000}.{ms % 1000:03d}:{serial})"
            lines = [
                f"type=SYSCALL {stamp}: arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 items=1 ppid=1 pid=2 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=1 comm=\"x\" exe=\"/usr/bin/x\" key=(null)",
                f"type=EXECVE {stamp}: argc=4 a0={arg} a1={arg} a2={arg} a3={arg}",
                f"type=PROCTITLE {stamp}: proctitle={arg}",
            ]
            text = "\n".join(lines) + "\n"
            f.write(text)
            written += len(text)
            ms += 10
            serial += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--log")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-peers", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    log = args.log or f"/tmp/auexplain-bench-{args.mb:g}.log"
    if not os.path.exists(log):
        subprocess.run([sys.executable, os.path.join(SHARED, "bench", "mkbench.py"),
                        os.path.join(SHARED, "corpus"), log, str(args.mb)], check=True)
    hexlog = f"/tmp/auexplain-longhex-{args.mb:g}.log"
    if not os.path.exists(hexlog):
        long_hex_log(hexlog, max(args.mb / 4, 5))
    mb = os.path.getsize(log) / 1e6
    hex_mb = os.path.getsize(hexlog) / 1e6
    have = {p: shutil.which(p) for p in ("ausearch", "aureport")}
    peers = not args.no_peers

    modes = [
        ("type grep: -m USER_AUTH --format raw", [BIN, "-m", "USER_AUTH", "--format", "raw", log],
         [("ausearch -m USER_AUTH --raw", ["ausearch", "-m", "USER_AUTH", "--raw", "--input", log])]),
        ("text (events, summaries)", [BIN, "--color", "never", log],
         [("ausearch --format text", ["ausearch", "--format", "text", "--input", log]),
          ("ausearch -i", ["ausearch", "-i", "--input", log])]),
        ("--format json", [BIN, "--format", "json", log], []),
        ("--format json --events", [BIN, "--format", "json", "--events", log], []),
        ("--format interpreted", [BIN, "--format", "interpreted", log],
         [("ausearch -i", ["ausearch", "-i", "--input", log])]),
        ("--summary", [BIN, "--summary", log],
         [("aureport", ["aureport", "--input", log])]),
    ]
    peer_cache = {}
    # MB/s the issue quotes for each peer on a 20 MB log, on a good day of
    # this VM. Today's peer speeds against these say how fast the machine is
    # running, so that absolute MB/s from different days can be compared.
    reference = {"ausearch -m USER_AUTH --raw": 200, "ausearch --format text": 23,
                 "ausearch -i": 6.5, "aureport": 18}
    print(f"log: {log} ({mb:.1f} MB); long-hex log: {hexlog} ({hex_mb:.1f} MB)")
    print("auexplain: '1 thr' is --threads 1 (the targets), 'all' the default (a thread per core)")
    print(f"{'mode':40} {'1 thr':>7} {'all':>7} {'RSS MiB':>8}   peers (MB/s, RSS MiB, auexplain 1 thr is N x faster)")
    supported = [name for name, cmd, _ in modes
                 if subprocess.run(cmd[:-1] + ["/dev/null"], capture_output=True).returncode != 2]
    hex_modes = [("long hex EXECVE, --format json", [BIN, "--format", "json", hexlog]),
                 ("long hex EXECVE, text", [BIN, "--color", "never", hexlog])]
    ours = []
    for name, cmd in [(n, c) for n, c, _ in modes if n in supported] + hex_modes:
        ours += [one_thread(cmd), tuple(cmd)]
    timed = best_in_rounds(ours, args.runs)
    for name, cmd, peer_cmds in modes:
        if name not in supported:
            print(f"{name:40} {'n/a':>7}   (not supported by this build)")
            continue
        wall, rss = timed[one_thread(cmd)]
        wall_all, rss_all = timed[tuple(cmd)]
        line = f"{name:40} {mb / wall:7.1f} {mb / wall_all:7.1f} {max(rss, rss_all) / 1024:8.1f}  "
        for peer_name, peer_cmd in peer_cmds:
            if not peers or not have.get(peer_cmd[0]):
                continue
            key = tuple(peer_cmd)
            if key not in peer_cache:
                peer_cache[key] = best(peer_cmd, 1)
            pw, prss = peer_cache[key]
            line += f" | {peer_name}: {mb / pw:.1f}, {prss / 1024:.1f}, {pw / wall:.1f}x"
        print(line)
    if peer_cache:
        speeds = []
        for _, _, peer_cmds in modes:
            for peer_name, peer_cmd in peer_cmds:
                if tuple(peer_cmd) in peer_cache and peer_name in reference:
                    speeds.append((peer_name, mb / peer_cache[tuple(peer_cmd)][0] / reference[peer_name]))
        seen = dict(speeds)
        shown = ", ".join(f"{n} {100 * f:.0f}%" for n, f in seen.items())
        print(f"peers' speed against the issue's reference MB/s: {shown}")
    for name, cmd in hex_modes:
        wall, rss = timed[one_thread(cmd)]
        wall_all, rss_all = timed[tuple(cmd)]
        print(f"{name:40} {hex_mb / wall:7.1f} {hex_mb / wall_all:7.1f} {max(rss, rss_all) / 1024:8.1f}")


if __name__ == "__main__":
    main()
