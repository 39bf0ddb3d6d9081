#!/usr/bin/env python3
"""Splits a `perf record --call-graph dwarf` profile of `fedtriage analyze --db` into steps.

Usage:
  perf record -o perf.data --call-graph dwarf,16384 -F 499 -- fedtriage analyze --db x.db LOGS
  perf script -i perf.data -F comm,tid,ip,sym > perf.txt
  bench/perf_steps.py perf.txt CPU_SECONDS SIP_MESSAGES LINES

Each sample goes to the step of its innermost frame that names one (a memcpy inside SHA-256
counts as SHA-256); the shares are applied to the command's CPU time (user + sys) and printed
per SIP message and per line, as a Markdown table.
"""
import collections
import re
import sys

STEPS = [
    ("SHA-256 of the inputs", r"SHA256|Sha256Source|hash_file|sha256"),
    ("spool append (binary encoding, temporary file)",
     r"SpoolingEvents::on_event|EventSpool::Writer|encode_event"),
    ("spool load (events back per call)", r"SpooledRead::load|EventSpool::load|decode_event"),
    ("store: events (SQLite, zstd)",
     r"write_events|write_packed_events|CaseWrite::events|pack_events|CaseWrite::pack|BatchPacker"),
    ("store: calls, call links, findings", r"write_call|CaseWrite::call|write_findings"),
    ("store: conversations, commit",
     r"write_conversations|store_conversations|CaseWriter::commit|finish"),
    ("explain (correlation, rules, conversations)",
     r"ExplainAhead|explain_call|plan_calls|assemble_call|onversation|Correlat|PlanSpool|[Ss]ketch"),
    ("parse (line reading, parsers, SIP parser)",
     r"parse_leaf|Parser|LineReader|walk_stream|IngestHandler|parse_sip|read_input"),
    ("text/JSON report", r"json_report|text_report|write_analysis|analysis_to"),
]
REST = "start-up, walking, rest"


def samples(path):
    stack = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith((" ", "\t")) and line.strip():
                stack.append(line.strip())
                continue
            if stack:
                yield stack
            stack = []
    if stack:
        yield stack


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    path, cpu, messages, lines = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    patterns = [(name, re.compile(p)) for name, p in STEPS]
    count = collections.Counter()
    for stack in samples(path):
        step = REST
        for frame in stack:  # innermost first
            hit = next((name for name, p in patterns if p.search(frame)), None)
            if hit:
                step = hit
                break
        count[step] += 1
    total = sum(count.values()) or 1
    print(f"{total} samples, {cpu:.2f} s CPU: {cpu / messages * 1e6:.1f} µs per SIP message, "
          f"{cpu / lines * 1e6:.2f} µs per line")
    print("| step | share | µs per SIP message | µs per line |")
    print("| --- | ---: | ---: | ---: |")
    for name in [n for n, _ in STEPS] + [REST]:
        share = count[name] / total
        print(f"| {name} | {100 * share:.1f} % | {share * cpu / messages * 1e6:.1f} | "
              f"{share * cpu / lines * 1e6:.2f} |")


if __name__ == "__main__":
    main()
