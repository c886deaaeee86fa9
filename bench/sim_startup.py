#!/usr/bin/env python3
"""Start-up of the igtimi-sim binary: time from exec to the first answered HTTP request.

Baseline, measured in the same run the same way: Python's own `http.server` module, the
smallest HTTP server at hand. Prints medians and the ratio.

Usage: python3 bench/sim_startup.py [path/to/igtimi-sim] [runs]
"""
import http.client
import re
import statistics
import subprocess
import sys
import time


def first_answer_ms(argv, ready_prefix, path):
    """Starts argv, waits for a stdout line starting with ready_prefix that ends in the
    base URL, then GETs path; returns milliseconds from exec to the answer."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            if line.startswith(ready_prefix):
                break
        else:
            raise RuntimeError(f"{argv[0]} exited before it was ready")
        port = re.search(r"127\.0\.0\.1(?::| port )(\d+)", line).group(1)
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
        conn.request("GET", path)
        conn.getresponse().read()
        return (time.perf_counter() - start) * 1000
    finally:
        proc.kill()
        proc.wait()


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/igtimi-sim"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    sim = [first_answer_ms([binary, "--port", "0", "--quiet"], "igtimi-sim listening on",
                           "/api/v1/data_types") for _ in range(runs)]
    base = [first_answer_ms([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
                            "Serving HTTP", "/") for _ in range(runs)]
    sim_ms, base_ms = statistics.median(sim), statistics.median(base)
    print(f"igtimi-sim  exec to first answer: median {sim_ms:.1f} ms over {runs} runs")
    print(f"baseline (python3 -m http.server): median {base_ms:.1f} ms")
    print(f"ratio igtimi-sim / baseline: {sim_ms / base_ms:.2f}")


if __name__ == "__main__":
    main()
