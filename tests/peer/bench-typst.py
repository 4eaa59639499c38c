#!/usr/bin/env python3
"""Benchmark against a peer: the sample's build beside Typst setting the same briefing.

Writes the Typst peer of the sample (tests/peer/typst.py: the same text,
headings, tables, notes as footnotes, running header and footer, on the
template's page), then times, alternately, RUNS builds of the sample by
the briefing and RUNS compiles of the peer by Typst (the compiler of the
npm package @myriaddreamin/typst-ts-node-compiler, installed in
tests/peer/node_modules by `make bench`), each in a process of its own:

- briefing: `briefing build SAMPLE -o OUT.pdf --timings` with
  SOURCE_DATE_EPOCH=1, OUT.pdf and its state file removed before each run
  (so every run writes a new PDF and lists no changes);
- Typst: `node tests/peer/typst-compile.mjs PEER.typ OUT.pdf 1 --json
  --no-version`, one fresh compile to PDF/UA-1 in a new Node process.

One run of each comes first, untimed, so that both start from the page
cache (Typst's reports its version).  The table gives, for each, the median and the fastest of the
whole process (what a user waits for, Node's start and the loading of
the native module included), the median of the time the tool reports
itself (self; briefing: the sum of its stages; Typst: making the
compiler, compiling, writing the PDF), the largest resident set, and the
pages.  Below come Typst's own times by part, Typst in one process
compiling the peer 10 times afresh (caches emptied each time: its fastest
case, with Node started and the module loaded already), and what Node
takes to start and stop with nothing to do.  The ratios are Typst's time over the
briefing's.  Not part of `make test`: machines are shared and noisy,
compare ratios within one run.

usage: tests/peer/bench-typst.py [--briefing build/briefing] [--runs 21]
                                 [--facts FACTS.yaml] [--system-fonts]
                                 [--keep DIR]

--system-fonts lets Typst search the installed fonts too (it does not by
default; see typst-compile.mjs); --keep DIR keeps the peer and both PDFs.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SAMPLE = os.path.join(ROOT, "data", "ceasefire-2025-03-18.yaml")
COMPILE = os.path.join(HERE, "typst-compile.mjs")
MODULE = os.path.join(HERE, "node_modules", "@myriaddreamin", "typst-ts-node-compiler")


def ours(briefing, facts, out, env):
    """One build: wall s, the stages' total ms, pages, peak KiB."""
    for f in (out, out + ".state"):
        if os.path.exists(f):
            os.unlink(f)
    start = time.monotonic()
    p = subprocess.Popen([briefing, "build", facts, "-o", out, "--timings"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, env=env)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench-typst: build failed: %s" % err)
    t = re.search(r"load ([\d.]+) ms, check ([\d.]+) ms, compose ([\d.]+) ms, "
                  r"typeset ([\d.]+) ms, emit ([\d.]+) ms; (\d+) pages", err)
    own = re.search(r"; peak ([\d.]+) MB", err)
    peak = float(own.group(1)) * 1024 if own else usage.ru_maxrss
    return wall, sum(float(x) for x in t.groups()[:5]), int(t.group(6)), peak


def typst(node, peer, out, runs, extra):
    """One Node process compiling peer runs times: wall s, its JSON report,
    peak KiB."""
    start = time.monotonic()
    p = subprocess.Popen([node, COMPILE, peer, out, str(runs), "--json"] + extra,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_text = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench-typst: typst-compile failed:\n%s" % err)
    return wall, json.loads(out_text), usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--briefing", default=os.path.join(ROOT, "build", "briefing"))
    ap.add_argument("--facts", default=SAMPLE)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--system-fonts", action="store_true")
    ap.add_argument("--keep", metavar="DIR")
    a = ap.parse_args()
    briefing = os.path.abspath(a.briefing)
    node = shutil.which("node")
    if node is None or not os.path.isdir(MODULE):
        sys.exit("bench-typst: needs Node.js and tests/peer/node_modules "
                 "(npm ci --prefix tests/peer, or make bench)")
    extra = ["--system-fonts"] if a.system_fonts else []
    env = dict(os.environ, SOURCE_DATE_EPOCH="1")

    tmp = a.keep or tempfile.mkdtemp(prefix="bench-typst-")
    os.makedirs(tmp, exist_ok=True)
    try:
        if subprocess.run([sys.executable, os.path.join(HERE, "typst.py"),
                           "--briefing", briefing, "--facts", a.facts,
                           "--out-dir", os.path.join(tmp, "peer")],
                          stdout=subprocess.DEVNULL).returncode != 0:
            sys.exit("bench-typst: could not write the Typst peer")
        peer = os.path.join(tmp, "peer", "briefing.typ")
        our_pdf = os.path.join(tmp, "briefing.pdf")
        typst_pdf = os.path.join(tmp, "typst.pdf")

        # Untimed: both read their files into the page cache; Typst's
        # version is asked here (the timed runs leave that out).
        ours(briefing, a.facts, our_pdf, env)
        version = typst(node, peer, typst_pdf, 1, extra)[1]["typst"]
        extra.append("--no-version")

        b_wall, b_self, b_peak = [], [], 0
        t_wall, t_self, t_parts, t_peak = [], [], [], 0
        for _ in range(a.runs):
            wall, self_ms, b_pages, peak = ours(briefing, a.facts, our_pdf, env)
            b_wall.append(wall * 1000)
            b_self.append(self_ms)
            b_peak = max(b_peak, peak)
            wall, rep, peak = typst(node, peer, typst_pdf, 1, extra)
            t_wall.append(wall * 1000)
            r = rep["runs"][0]
            t_self.append(r["total"])
            t_parts.append((rep["load"], r["create"], r["compile"], r["pdf"]))
            t_peak = max(t_peak, peak)
        # Typst at its fastest: 10 fresh compiles in one warm process.
        _, warm, _ = typst(node, peer, typst_pdf, 10, extra)
        warm_totals = [r["total"] for r in warm["runs"][1:]]
        # What Node alone takes to start and stop.
        bare = []
        for _ in range(5):
            start = time.monotonic()
            subprocess.run([node, "-e", ""], check=True)
            bare.append((time.monotonic() - start) * 1000)
    finally:
        if not a.keep:
            shutil.rmtree(tmp)

    med = statistics.median
    bw, tw = med(b_wall), med(t_wall)
    bs, ts = med(b_self), med(t_self)
    parts = [med(p[i] for p in t_parts) for i in range(4)]
    print("%-34s %9s %9s %9s %8s %6s" % ("sample, %d runs each" % a.runs, "median",
                                        "fastest", "self", "peak MB", "pages"))
    print("%-34s %9.1f %9.1f %9.1f %8.1f %6d" % (
        "briefing build", bw, min(b_wall), bs, b_peak / 1024, b_pages))
    print("%-34s %9.1f %9.1f %9.1f %8.1f %6d" % (
        "typst %s (node, %s)" % (version, rep["standard"]), tw, min(t_wall), ts,
        t_peak / 1024, rep["pages"]))
    print("  typst's own times (medians): loading the module %.1f ms, compiler "
          "and fonts %.1f ms, compile %.1f ms, PDF %.1f ms" % tuple(parts))
    print("  typst, one process, 10 fresh compiles: first %.1f ms, runs 2-10 "
          "median %.1f ms" % (warm["runs"][0]["total"], med(warm_totals)))
    print("  node -e '' alone: median %.1f ms of 5" % med(bare))
    print("ratio typst / briefing: process %.1fx, self %.1fx; typst's warm "
          "compile / briefing's process %.1fx" % (tw / bw, ts / bs, med(warm_totals) / bw))
    print("ms: wall time of a whole run (process) and as each tool times its own "
          "work (self); fonts: %s" % ("installed fonts searched too" if a.system_fonts
                                      else "the template's files only"))


if __name__ == "__main__":
    main()
