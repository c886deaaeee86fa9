#!/usr/bin/env python3
"""Puts the JSON lines of one bench/run.sh run into one table with ratios and goals.

Reads the results file (JSON lines written by make-payload, the Rust bench, py_decode.py,
js_parse.mjs and, once it exists, the in-app plot step), prints a table and writes
Markdown to --md. Exits 1 when a line is missing that the decode table needs.
"""

import argparse
import json
import os
import platform
import sys

DECODE_ROWS = [
    ("rust.telltale_decode", "Telltale decode (Rust, into columns)"),
    ("py.orjson", "Python orjson.loads"),
    ("py.json", "Python json.loads"),
    ("rust.serde_value", "Rust serde_json::Value"),
]

PLOT_ROWS = [
    ("rust.view_build", "Downsample: min_max x1200 per series + pick_track (Rust)"),
    ("rust.view_min_max", "  of which min_max of every series"),
    ("rust.view_pack", "Pack the view as f64 columns (Rust, what data_view sends)"),
    ("js.view_unpack", "Unpack it with the UI's unpackView (Node V8, proxy for the webview)"),
    ("rust.view_json", "For comparison: serialize the view with serde_json (Rust)"),
    ("js.view_parse", "For comparison: JSON.parse of that JSON (Node V8)"),
    ("app.data_view", "In app: invoke data_view round trip incl. unpacking (plot step)"),
    ("app.render", "In app: redraw, setData on the charts in view + track, to next frame"),
    ("app.open", "In app: opening the loaded week again (data_view, charts kept, track)"),
    ("app.first_open", "In app: the run's first open (data_view + building the charts), 1 run"),
    ("app.ipc_baseline", "In app: empty IPC round trip (app_status), baseline"),
]

DECODE_GOALS = [
    ("py.orjson", 1.0, "Telltale >= orjson"),
    ("py.json", 3.0, "Telltale >= 3x json"),
]

PLOT_GOAL_MS = 100.0

# The Riot payload (the same week as base64 protobuf Msgs), its readers, and the JSON path
# on its own payload; shown when the run measured them.
RIOT_ROWS = [
    ("rust.riot_decode", "Telltale Riot decode (Rust, into columns)"),
    ("rust.telltale_decode", "Telltale JSON decode, same week (its own payload)"),
    ("py.upb_riot", "Python protobuf (upb): decode, every point read"),
    ("py.upb_riot_parse", "Python protobuf (upb): parse only, points not read"),
]

RIOT_GOALS = [
    ("py.upb_riot", "median_mb_s", 3.0, "Riot decode >= 3x upb (MB/s, same bytes)"),
    ("py.upb_riot_parse", "median_mb_s", 3.0, "Riot decode >= 3x upb parse only (stricter)"),
    ("rust.telltale_decode", "median_samples_s", 1.0, "Riot samples/s >= the JSON path's"),
]


def riot_section(lines):
    """The Riot decode table and goals, as Markdown lines (none without the Riot steps)."""
    riot = lines.get("rust.riot_decode")
    if riot is None:
        return []
    md = ["## Riot decode (the same week as base64 protobuf messages, same run)\n"]
    payload = lines.get("payload.riot")
    if payload:
        md.append(
            f"Payload: {payload['bytes'] / 1e6:.1f} MB, {payload['messages']:,} messages, "
            f"{payload['points']:,} data points (the JSON payload's samples, in km/h, radians "
            f"and Pa, shuffled as the simulator's Riot dialect sends them).\n"
        )
    md.append("| Reader | median ms | best ms | median MB/s | best MB/s | median samples/s | best samples/s |")
    md.append("|---|---:|---:|---:|---:|---:|---:|")
    for ident, label in RIOT_ROWS:
        line = lines.get(ident)
        if line is None:
            md.append(f"| {label} | not measured | | | | | |")
            continue
        samples = [line.get(k) for k in ("median_samples_s", "best_samples_s")]
        md.append(
            f"| {label} | {fmt(line['median_ms'], 1)} | {fmt(line['best_ms'], 1)} | "
            f"{fmt(line['median_mb_s'])} | {fmt(line['best_mb_s'])} | "
            f"{fmt(samples[0] and samples[0] / 1e6, 2)} M | {fmt(samples[1] and samples[1] / 1e6, 2)} M |"
        )
    md.append("")
    md.append("| Goal | medians | met | bests | met |")
    md.append("|---|---:|:---:|---:|:---:|")
    for ident, key, factor, label in RIOT_GOALS:
        base = lines.get(ident)
        if base is None or base.get(key) is None:
            md.append(f"| {label} | not measured | | | |")
            continue
        cells = []
        for k in (key, key.replace("median", "best")):
            ratio = riot[k] / base[k]
            cells += [f"{ratio:.2f}x", "yes" if ratio >= factor else "NO"]
        md.append(f"| {label} | {' | '.join(cells)} |")
    py = lines.get("py.upb_riot")
    if py and py.get("timestamps") != riot.get("timestamps"):
        md.append(
            f"\nWARNING: Python read {py.get('timestamps')} samples, Rust {riot.get('timestamps')}."
        )
    md.append("")
    return md


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = "load average %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load = "load average unknown"
    return f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}; {load} at report time"


def fmt(value, digits=0):
    return "-" if value is None else f"{value:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="JSON lines of one run")
    parser.add_argument("--md", help="write the Markdown report here")
    parser.add_argument("--elapsed", type=float, help="seconds the whole run took so far")
    args = parser.parse_args()

    lines = {}
    with open(args.results) as f:
        for number, text in enumerate(f, 1):
            text = text.strip()
            if not text:
                continue
            try:
                line = json.loads(text)
            except json.JSONDecodeError as e:
                sys.exit(f"report: {args.results}:{number} is not JSON: {e}")
            lines[line.get("id")] = line
    missing = [ident for ident, _ in DECODE_ROWS if ident not in lines]
    if missing:
        sys.exit(f"report: no results for {', '.join(missing)} in {args.results}")

    ours = lines["rust.telltale_decode"]
    payload = lines.get("payload", {})
    md = []
    md.append("# Telltale benchmark results\n")
    md.append(f"Machine: {machine()}.\n")
    if payload:
        md.append(
            f"Payload: `resources/data` of {payload['serial']} over {payload['days']} days at 1 Hz, "
            f"types {', '.join(map(str, payload['types']))} ({payload['channels']} channels), "
            f"made by the simulator over loopback HTTP: {payload['bytes'] / 1e6:.1f} MB, "
            f"{payload['timestamps']:,} timestamps + {payload['values']:,} values.\n"
        )
    md.append("## Decode throughput (same bytes, same run)\n")
    md.append(
        f"Median and best of {ours['runs']} timed runs after a warm-up; MB = 10^6 bytes. On a "
        "shared machine the best run is the steadier figure (other load only adds time).\n"
    )
    md.append(
        "| Parser | median ms | best ms | median MB/s | best MB/s "
        "| Telltale / this (medians) | Telltale / this (bests) |"
    )
    md.append("|---|---:|---:|---:|---:|---:|---:|")
    for ident, label in DECODE_ROWS:
        line = lines[ident]
        ratios = ["-", "-"]
        if line is not ours:
            ratios = [f"{ours[k] / line[k]:.2f}x" for k in ("median_mb_s", "best_mb_s")]
        md.append(
            f"| {label} | {fmt(line['median_ms'], 1)} | {fmt(line['best_ms'], 1)} | "
            f"{fmt(line['median_mb_s'])} | {fmt(line['best_mb_s'])} | {ratios[0]} | {ratios[1]} |"
        )
    md.append("")
    md.append("| Goal | medians | met | bests | met |")
    md.append("|---|---:|:---:|---:|:---:|")
    for ident, factor, label in DECODE_GOALS:
        cells = []
        for key in ("median_mb_s", "best_mb_s"):
            ratio = ours[key] / lines[ident][key]
            cells += [f"{ratio:.2f}x", "yes" if ratio >= factor else "NO"]
        md.append(f"| {label} | {' | '.join(cells)} |")
    md.append("")

    md.extend(riot_section(lines))

    md.append("## Data in memory to plotted (the decoded week)\n")
    view = lines.get("rust.view_build", {})
    if view:
        md.append(
            f"The view: {view.get('series')} series + {view.get('tracks')} track(s), "
            f"{view.get('points'):,} points, "
            f"{lines.get('rust.view_pack', {}).get('packed_bytes', 0) / 1e3:.0f} kB packed "
            f"({lines.get('rust.view_json', {}).get('json_bytes', 0) / 1e3:.0f} kB as JSON).\n"
        )
    md.append("| Step | median ms | best ms |")
    md.append("|---|---:|---:|")
    for ident, label in PLOT_ROWS:
        line = lines.get(ident)
        if line is None:
            md.append(f"| {label} | not measured yet | |")
        else:
            md.append(f"| {label} | {fmt(line['median_ms'], 2)} | {fmt(line['best_ms'], 2)} |")
    total = lines.get("rust.view_total")
    if total:
        md.append(
            f"| Rust side in one go (build + pack) | {fmt(total['median_ms'], 2)} | "
            f"{fmt(total['best_ms'], 2)} |"
        )
    md.append("")

    def verdict(ms):
        return "within" if ms < PLOT_GOAL_MS else "OVER"

    outside = [lines.get(i) for i in ("rust.view_build", "rust.view_pack", "js.view_unpack")]
    # (rust.view_min_max is part of rust.view_build, not added again.)
    known = [line["median_ms"] for line in outside if line]
    if known:
        estimate = sum(known)
        md.append(
            f"Without the window (downsample + pack + unpack, render not included): "
            f"{estimate:.1f} ms, {verdict(estimate)} the {PLOT_GOAL_MS:.0f} ms goal.\n"
        )
    in_app = [lines.get(i) for i in ("app.data_view", "app.render")]
    if all(in_app):
        figure = sum(line["median_ms"] for line in in_app)
        md.append(
            f"In the app (data_view round trip + redraw): {figure:.1f} ms, "
            f"{verdict(figure)} the {PLOT_GOAL_MS:.0f} ms goal.\n"
        )
        opened = lines.get("app.open")
        if opened:
            md.append(
                f"Opening the week again in the app (charts kept): {opened['median_ms']:.1f} ms "
                f"median, {opened['best_ms']:.1f} ms best, "
                f"{verdict(opened['median_ms'])} the {PLOT_GOAL_MS:.0f} ms goal.\n"
            )
        baseline = lines.get("app.ipc_baseline")
        if baseline and baseline["median_ms"] > 0:
            md.append(
                f"Against the same run's empty IPC round trip ({baseline['median_ms']:.1f} ms): "
                f"plotted = {figure / baseline['median_ms']:.0f}x.\n"
            )
    else:
        md.append("In the app: not measured in this run (the plot step, bench/plot.sh, is not there yet).\n")
    if args.elapsed is not None:
        md.append(f"bench/run.sh took {args.elapsed:.0f} s.\n")

    text = "\n".join(md)
    print(text)
    if args.md:
        with open(args.md, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
