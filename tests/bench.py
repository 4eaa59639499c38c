#!/usr/bin/env python3
"""Benchmark: builds synthetic briefings of 10, 100, 1,000 and 10,000 breaches.

The bundled sample is built first (at least 21 times).  Each synthetic
fact file has the sample's proportions: sources, a timeline, a call with
readouts, preconditions, breaches with sourced claims, quotes and responses,
and multi-paragraph commentary with citations.  Every size is built several
times; the table gives the median wall time, the peak memory of the slowest
run's process, pages, PDF size, the time of each stage (from --timings), and
the ratio of each size's time to the previous size's, so growth that is not
linear shows at a glance.  A second table times the next edition of each
fact file with every breach's claim reworded, so that the change list is
as long as the breach log and comparing two editions is timed at scale.
Last, when Typst is installed in tests/peer/node_modules (`make bench`
installs it), tests/peer/bench-typst.py times the sample's build beside
Typst setting the same briefing.
Not part of `make test`: machines are shared and noisy, compare ratios
within one run.

usage: tests/bench.py [--briefing build/briefing] [--runs 5] [--sizes 10,100,...]
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                      "ceasefire-2025-03-18.yaml")
PEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peer")

WORDS = ("energy infrastructure strike drone substation grid repair crews "
         "reported the monitoring mission said officials overnight region "
         "ceasefire pause talks statement spokesperson damage power plant").split()


def sentence(i, n):
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n)).capitalize() + "."


def fact_file(d, breaches):
    nsrc = max(5, breaches // 20)
    out = ["briefing:", "  title: Synthetic briefing of %d breaches" % breaches,
           "  as_of: 2025-03-19T18:00:00Z", "  edition: 1",
           "  classification: UNCLASSIFIED // BENCHMARK", "  prepared_by: Benchmark",
           "  summary: summary.md", "  commentary:", "    context: commentary.md",
           "    breaches: commentary.md",
           "parties:", "  - {id: a, name: Party A}", "  - {id: b, name: Party B}",
           "  - {id: m, name: Monitors}", "sources:"]
    for s in range(nsrc):
        out += ["  - id: s%d" % s, "    outlet: Example Wire %d" % s,
                "    author: null", "    title: Report number %d on the pause" % s,
                "    date: 2025-03-%02d" % (1 + s % 28),
                "    url: https://example.org/report/%d" % s]
    out.append("timeline:")
    for t in range(max(3, breaches // 10)):
        out += ["  - date: 2025-03-%02d" % (1 + t % 28),
                "    text: '%s'" % sentence(t, 18), "    sources: [s%d]" % (t % nsrc)]
    out += ["calls:", "  - id: c1", "    date: 2025-03-18", "    participants: [a, b]",
            "    readouts:"]
    for p in ("a", "b"):
        out += ["      - party: %s" % p, "        issuer: Office of %s" % p, "        points:"]
        for k in range(6):
            out += ["          - text: '%s'" % sentence(k, 20),
                    "            sources: [s%d]" % (k % nsrc)]
    out.append("preconditions:")
    for k in range(max(2, breaches // 10)):
        out += ["  - party: %s" % "ab"[k % 2], "    demand: '%s'" % sentence(k, 15),
                "    status: stated", "    sources: [s%d]" % (k % nsrc)]
    out.append("breaches:")
    for i in range(breaches):
        out += ["  - id: b%d" % i, "    date: 2025-03-%02d" % (1 + i % 28),
                "    alleged_by: %s" % "ab"[i % 2], "    accused: %s" % "ba"[i % 2],
                "    claim: '%s %s'" % (sentence(i, 22), sentence(i + 1, 14)),
                "    quote: '%s'" % sentence(i + 2, 8),
                "    sources:", "      - id: s%d" % (i % nsrc),
                "        locator: para. %d" % (1 + i % 9),
                "      - s%d" % ((i + 1) % nsrc),
                "    responses:",
                "      - by: %s" % "ba"[i % 2], "        text: '%s'" % sentence(i + 3, 20),
                "        sources: [s%d]" % ((i + 2) % nsrc),
                "      - by: m", "        text: '%s'" % sentence(i + 4, 12),
                "        sources: [s%d]" % ((i + 3) % nsrc),
                "    status: %s" % ("disputed", "unverified", "denied")[i % 3]]
    with open(os.path.join(d, "facts.yaml"), "w") as f:
        f.write("\n".join(out) + "\n")
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write("- %s [@s0]\n- %s [@s1; @s2]\n" % (sentence(1, 20), sentence(2, 20)))
    paras = max(2, breaches // 25)
    with open(os.path.join(d, "commentary.md"), "w") as f:
        for k in range(paras):
            f.write("%s [@s%d]. %s [@s%d, para. 2].\n\n" % (
                sentence(k, 30), k % nsrc, sentence(k + 5, 25), (k + 1) % nsrc))


def second_edition(d):
    """Edition 2 of d's fact file, every breach's claim reworded."""
    with open(os.path.join(d, "facts.yaml")) as f:
        text = f.read()
    text = text.replace("  edition: 1\n", "  edition: 2\n")
    text = re.sub(r"^    claim: '", "    claim: 'Revised: ", text, flags=re.M)
    path = os.path.join(d, "facts2.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


def run(briefing, facts, out):
    """One build: wall seconds, stage times, pages and the peak resident
    set of that process alone, in KiB."""
    start = time.monotonic()
    p = subprocess.Popen([briefing, "build", facts, "-o", out, "--timings"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("build failed: %s" % err)
    t = re.search(r"load ([\d.]+) ms, check ([\d.]+) ms, compose ([\d.]+) ms, "
                  r"typeset ([\d.]+) ms, emit ([\d.]+) ms; (\d+) pages", err)
    # wait4's figure also counts this Python process's memory, which the
    # child had until its exec(); the build reports its own (VmHWM).
    own = re.search(r"; peak ([\d.]+) MB", err)
    peak = float(own.group(1)) * 1024 if own else usage.ru_maxrss
    return wall, [float(x) for x in t.groups()[:5]], int(t.group(6)), peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--briefing", default="build/briefing")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="10,100,1000,10000")
    a = ap.parse_args()
    briefing = os.path.abspath(a.briefing)
    sizes = [int(s) for s in a.sizes.split(",")]
    print("%8s %9s %8s %6s %9s %7s %7s %7s %8s %7s %6s" % (
        "breaches", "wall ms", "peak MB", "pages", "PDF KB", "load", "check",
        "compose", "typeset", "emit", "ratio"))
    prev = None
    second = []
    with tempfile.TemporaryDirectory() as tmp:
        # The bundled sample first, with more runs: it is the everyday
        # build, and at its size the machine's noise is largest.
        out = os.path.join(tmp, "sample.pdf")
        med, peak, pages, mid = measure(briefing, SAMPLE, out, max(a.runs, 21))
        print("%8s %9.1f %8.1f %6d %9.0f %7.1f %7.1f %7.1f %8.1f %7.1f %6s" % (
            "sample", med, peak / 1024, pages, os.path.getsize(out) / 1024, *mid, "-"))
        sys.stdout.flush()
        for n in sizes:
            d = os.path.join(tmp, str(n))
            os.mkdir(d)
            fact_file(d, n)
            facts, out = os.path.join(d, "facts.yaml"), os.path.join(d, "out.pdf")
            med, peak, pages, mid = measure(briefing, facts, out, a.runs)
            ratio = "%.1fx" % (med / prev) if prev else "-"
            print("%8d %9.1f %8.1f %6d %9.0f %7.1f %7.1f %7.1f %8.1f %7.1f %6s" % (
                n, med, peak / 1024, pages, os.path.getsize(out) / 1024, *mid, ratio))
            sys.stdout.flush()
            prev = med
            # The state of edition 1 is beside out.pdf now.
            second.append((n, measure(briefing, second_edition(d), out, a.runs)))
    print("sample: %s, %d runs" % (os.path.relpath(SAMPLE), max(a.runs, 21)))
    print("peak MB: the largest resident set of one build of that size")
    print()
    print("edition 2, every breach changed (the change list as long as the breach log):")
    print("%8s %9s %8s %6s %7s %8s %7s %6s" % (
        "breaches", "wall ms", "peak MB", "pages", "compose", "typeset", "emit", "ratio"))
    prev = None
    for n, (med, peak, pages, mid) in second:
        ratio = "%.1fx" % (med / prev) if prev else "-"
        print("%8d %9.1f %8.1f %6d %7.1f %8.1f %7.1f %6s" % (
            n, med, peak / 1024, pages, mid[2], mid[3], mid[4], ratio))
        prev = med
    # The sample beside Typst, when its npm package is installed.
    if os.path.isdir(os.path.join(PEER, "node_modules", "@myriaddreamin")):
        print()
        print("the sample beside Typst (tests/peer/bench-typst.py):")
        sys.stdout.flush()
        subprocess.run([sys.executable, os.path.join(PEER, "bench-typst.py"),
                        "--briefing", briefing], check=True)


def measure(briefing, facts, out, runs):
    """Median wall ms, peak KiB, pages and median stage times of runs builds."""
    walls, stages, peak = [], [], 0
    for _ in range(runs):
        w, st, pages, rss = run(briefing, facts, out)
        walls.append(w)
        stages.append(st)
        peak = max(peak, rss)
    mid = [statistics.median(s[i] for s in stages) for i in range(5)]
    return statistics.median(walls) * 1000, peak, pages, mid


if __name__ == "__main__":
    main()
