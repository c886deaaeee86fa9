#!/usr/bin/env python3
"""Times Python's json.loads and orjson.loads on the benchmark payload.

Same method as the Rust side (bench/src/lib.rs): the file is read into memory once; each
parser's first parse is untimed (it warms up and its tree is counted as a check), then
WARMUP more untimed parses, then RUNS timed ones with time.perf_counter(); the parsed result
is dropped outside the timed region. Rates are in MB/s with 1 MB = 10^6 bytes.

Writes one JSON line per parser to --out (and prints a table). Exits with an error when
orjson is missing, unless --allow-missing-orjson is given.
"""

import argparse
import gc
import json
import platform
import statistics
import sys
import time


def measure(parse, data, warmup, runs):
    """Returns the durations (seconds) of `runs` timed calls of parse(data)."""
    for _ in range(warmup):
        result = parse(data)
        del result
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        result = parse(data)
        durations.append(time.perf_counter() - start)
        del result
        gc.collect()
    return durations


def count_numbers(tree):
    """Timestamps and values in a decoded resources/data tree (a sanity check)."""
    timestamps = values = 0
    for channels in tree.values():
        for block in channels.values():
            for name, column in block.items():
                if name == "t":
                    timestamps += len(column)
                else:
                    values += len(column)
    return timestamps, values


def record(ident, label, size, durations, extra):
    median = statistics.median(durations)
    best = min(durations)
    line = {
        "id": ident,
        "label": label,
        "bytes": size,
        "runs": len(durations),
        "median_ms": median * 1e3,
        "best_ms": best * 1e3,
        "median_mb_s": size / 1e6 / median,
        "best_mb_s": size / 1e6 / best,
    }
    line.update(extra)
    return line


def report(lines, out):
    """Prints the steps' figures as a table and appends them, one JSON object per line, to
    `out` (when given) for report.py."""
    print(f"{'step':<52} {'median ms':>10} {'best ms':>10} {'median MB/s':>12} {'best MB/s':>12}")
    for line in lines:
        print(
            f"{line['label']:<52} {line['median_ms']:>10.1f} {line['best_ms']:>10.1f} "
            f"{line['median_mb_s']:>12.0f} {line['best_mb_s']:>12.0f}"
        )
    if out:
        with open(out, "a") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payload", help="the resources/data JSON file")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=0, help="untimed parses after the first")
    parser.add_argument("--out", help="append JSON lines here")
    parser.add_argument("--allow-missing-orjson", action="store_true")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be 1 or more and --warmup 0 or more")

    with open(args.payload, "rb") as f:
        data = f.read()
    size = len(data)

    parsers = [("py.json", f"Python json.loads (CPython {platform.python_version()})", json.loads)]
    try:
        import orjson

        parsers.append(("py.orjson", f"Python orjson.loads {orjson.__version__}", orjson.loads))
    except ImportError:
        if not args.allow_missing_orjson:
            sys.exit("py_decode: orjson is not installed (bench/run.sh installs it into a venv)")

    expected = None
    lines = []
    for ident, label, parse in parsers:
        tree = parse(data)
        counts = count_numbers(tree)
        del tree
        if expected is None:
            expected = counts
        elif counts != expected:
            sys.exit(f"py_decode: {label} read {counts}, json read {expected}")
        durations = measure(parse, data, args.warmup, args.runs)
        lines.append(record(ident, label, size, durations, {"timestamps": counts[0], "values": counts[1]}))

    report(lines, args.out)


if __name__ == "__main__":
    main()
