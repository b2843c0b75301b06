#!/usr/bin/env python3
"""Whole-run benchmark: imprimatur against ripgrep on the same terms.

Builds benchmark repositories with ../shared/bench/make-corpus.py (N copies of
the tldr pages and The Rust Programming Language, a pack of 400 forbid terms
and 115 substitutions, and terms.txt with every term), then, for each size
and thread count, runs in alternation

    imprimatur check --format json --no-cache -j T
    rg -c -w -i -F -f terms.txt content -j T

and reports medians: wall time, the ratio to ripgrep, MB/s, files/s and peak
memory (max RSS). It also times a cold and a warm run through the result
cache, and `check --staged` with a one-file change in a git repository of the
largest corpus (which must not walk the tree).

Usage: scripts/bench.py [--copies 1,2,4] [--threads 1,2] [--rounds 5]
                        [--work DIR] [--bin PATH] [--corpus-script PATH]
Needs: python3, rg (apt package ripgrep), GNU time (/usr/bin/time), git.
Prints a Markdown table; numbers vary with the machine, so compare ratios.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(cmd, cwd, env=None):
    """(seconds, peak KB) of one run of cmd, its output thrown away."""
    with tempfile.NamedTemporaryFile(mode="r") as t:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", t.name] + cmd
        done = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
        wall, kb = t.read().split()[-2:]
        return float(wall), int(kb)


def corpus(work, copies, script):
    out = os.path.join(work, f"corpus-{copies}")
    if not os.path.isfile(os.path.join(out, "terms.txt")):
        subprocess.run([sys.executable, script, out, "--copies", str(copies)], check=True)
    files, size = 0, 0
    for d, _, fs in os.walk(os.path.join(out, "content")):
        for f in fs:
            files += 1
            size += os.path.getsize(os.path.join(d, f))
    return out, files, size


def compare(binary, out, threads, rounds):
    imp = ["imprimatur", binary, "check", "--format", "json", "--no-cache", "-j", str(threads)]
    rg = ["rg", "rg", "-c", "-w", "-i", "-F", "-f", "terms.txt", "content", "-j", str(threads)]
    times = {"imprimatur": [], "rg": []}
    mem = {"imprimatur": [], "rg": []}
    for _ in range(rounds):
        for name, exe, *args in (imp, rg):
            wall, kb = timed([exe] + args, out)
            times[name].append(wall)
            mem[name].append(kb)
    return ({k: statistics.median(v) for k, v in times.items()},
            {k: max(v) for k, v in mem.items()})


def cache_runs(binary, out, rounds):
    # Outside the corpus: writing the cache must not touch the walked tree.
    cache = os.path.realpath(out) + ".cache"
    shutil.rmtree(cache, ignore_errors=True)
    cmd = [binary, "check", "--format", "json", "--cache-dir", cache]
    cold, cold_kb = timed(cmd, out)
    # Stamps younger than a second are not trusted (git's racy-clean rule).
    time.sleep(1.1)
    warm = [timed(cmd, out) for _ in range(rounds)]
    return cold, cold_kb, statistics.median(w for w, _ in warm), max(k for _, k in warm)


def staged_run(binary, out, rounds):
    """`check --staged` with one changed file in a git repository of the corpus."""
    if not os.path.isdir(os.path.join(out, ".git")):
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        subprocess.run(git + ["init", "-q"], cwd=out, check=True)
        subprocess.run(git + ["add", "-A", "content", "imprimatur.yml", "rules"], cwd=out, check=True)
        subprocess.run(git + ["commit", "-q", "-m", "corpus"], cwd=out, check=True)
    page = os.path.join("content", "copy0", "rust-book", "src", "ch01-00-getting-started.md")
    path = os.path.join(out, page)
    original = open(path, encoding="utf-8").read()
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write("\nThis step is guaranteed to work on Github.\n")
        subprocess.run(["git", "add", page], cwd=out, check=True)
        cmd = [binary, "check", "--staged", "--format", "json", "--no-cache"]
        runs = [timed(cmd, out) for _ in range(rounds)]
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        subprocess.run(["git", "add", page], cwd=out, check=True)
    return statistics.median(w for w, _ in runs), max(k for _, k in runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", default="1,2,4")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "imprimatur-bench"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "imprimatur"))
    ap.add_argument("--corpus-script",
                    default=os.path.join(ROOT, "..", "shared", "bench", "make-corpus.py"))
    a = ap.parse_args()
    if not shutil.which("rg"):
        sys.exit("rg not found: apt-get install ripgrep")
    if not os.path.isfile(a.bin):
        sys.exit(f"{a.bin} not found: cargo build --release")
    os.makedirs(a.work, exist_ok=True)
    copies = [int(c) for c in a.copies.split(",")]
    threads = [int(t) for t in a.threads.split(",")]

    print("| copies | files | MB | threads | imprimatur s | rg s | ratio | MB/s | files/s | imprimatur MB | rg MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    largest = None
    for n in copies:
        out, files, size = corpus(a.work, n, a.corpus_script)
        largest = out
        for t in threads:
            times, mem = compare(a.bin, out, t, a.rounds)
            imp, rg = times["imprimatur"], times["rg"]
            print(f"| {n} | {files} | {size / 1e6:.1f} | {t} | {imp:.2f} | {rg:.2f} | {imp / rg:.2f} "
                  f"| {size / 1e6 / imp:.0f} | {files / imp:,.0f} | {mem['imprimatur'] / 1024:.0f} "
                  f"| {mem['rg'] / 1024:.0f} |", flush=True)

    for n in copies:
        out = os.path.join(a.work, f"corpus-{n}")
        cold, cold_kb, warm, warm_kb = cache_runs(a.bin, out, a.rounds)
        print(f"\ncache, {n} copies: cold {cold:.2f} s ({cold_kb / 1024:.0f} MB), "
              f"warm {warm:.2f} s ({warm_kb / 1024:.0f} MB): {cold / warm:.1f}x", flush=True)

    staged, staged_kb = staged_run(a.bin, largest, a.rounds)
    print(f"\n--staged, one changed file in {os.path.basename(largest)}: {staged:.3f} s ({staged_kb / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
