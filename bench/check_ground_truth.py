#!/usr/bin/env python3
"""Compares `fedtriage analyze --format json` with a generator's ground-truth.json.

Usage: check_ground_truth.py GROUND_TRUTH.json REPORT.json
Exit status 0 when calls, failed calls and every failed call's rule agree, 1 otherwise.
"""
import json
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        truth = json.load(f)
    with open(sys.argv[2]) as f:
        report = json.load(f)
    summary = report["summary"]
    errors = []
    for key in ("calls", "failed_calls"):
        if summary[key] != truth[key]:
            errors.append(f"{key}: report {summary[key]}, truth {truth[key]}")
    got_rules = {}
    for call in report["calls"]:
        if call["findings"]:
            got_rules[call["call_id"]] = call["findings"][0]["rule"]
    want = truth["call_findings"]
    wrong = [(c, r, got_rules.get(c)) for c, r in want.items() if got_rules.get(c) != r]
    extra = [c for c in got_rules if c not in want]
    for c, r, g in wrong[:10]:
        errors.append(f"call {c}: want {r}, got {g}")
    if len(wrong) > 10:
        errors.append(f"... {len(wrong) - 10} more calls with the wrong rule")
    if extra:
        errors.append(f"{len(extra)} call(s) with findings the truth does not have, e.g. {extra[0]}")
    by_rule = summary.get("findings_by_rule", {})
    for rule, n in truth["findings"].items():
        if by_rule.get(rule, 0) != n:
            errors.append(f"findings {rule}: report {by_rule.get(rule, 0)}, truth {n}")
    if errors:
        print("ground truth: MISMATCH")
        for e in errors:
            print("  " + e)
        return 1
    print(f"ground truth: OK ({truth['calls']} calls, {truth['failed_calls']} failed, "
          f"findings {json.dumps(truth['findings'], sort_keys=True)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
