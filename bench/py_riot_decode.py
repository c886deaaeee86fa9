#!/usr/bin/env python3
"""Times Python's protobuf (the upb backend) decoding the Riot payload.

The Riot payload (make-payload: week-1hz.riot.json) is the same week as the JSON payload
as the Riot service answers it: {"<serial>": ["<base64 of one Msg>", ...]}. Python has no
generated classes for these messages (no protoc here): they are built at run time from the
FileDescriptorSet make-payload writes beside the payload (week-1hz.riot.fds), with
google.protobuf.descriptor_pool and message_factory.GetMessageClass.

Two steps, both on the whole body, so they compare with telltale_data::riot::decode_answer:
- "decode": the outer JSON (orjson when installed, else json), base64 (binascii), then
  Msg.FromString for every message and reading every point's time, source id and values
  (what the Rust reader does with them: its columns; here only a running sum, which is
  less work than building columns, so the comparison favours Python);
- "parse only": the same without reading the points (upb parses eagerly, but Python
  objects for the points are only made when read).

Same method as py_decode.py: the first run untimed (and counted as a check), then WARMUP
more untimed runs, then RUNS timed ones with time.perf_counter(); results dropped and
gc.collect() outside the timed region. Rates in MB/s (10^6 bytes) and samples/s.
"""

import argparse
import binascii
import json
import statistics
import sys

# The timing loop, the record of a step and the report are py_decode's (same folder).
import py_decode

# The value fields read per kind (everything else has one `value`).
VALUES = {
    "pos": ("latitude", "longitude"),
    "hr": ("event_time", "hb_count", "heart_rate"),
    "ori": ("w", "x", "y", "z"),
    "acc": ("x", "y", "z"),
    "spd": ("x", "y", "z"),
    "for": ("x", "y", "z"),
    "file": ("size",),
}


def message_class(descriptors_path):
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    with open(descriptors_path, "rb") as f:
        files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for proto in files.file:  # dependencies first, as protox writes them
        pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("com.igtimi.Msg"))


def outer_json():
    try:
        import orjson

        return orjson.loads, f"orjson {orjson.__version__}"
    except ImportError:
        return json.loads, "json"


def make_steps(msg_class, loads):
    from_string = msg_class.FromString
    a2b = binascii.a2b_base64
    default = ("value",)
    fields_of = VALUES.get

    def parse_only(data):
        messages = 0
        for texts in loads(data).values():
            for text in texts:
                from_string(a2b(text))
                messages += 1
        return messages, 0, 0

    def decode(data):
        messages = timestamps = values = 0
        total = 0.0
        for texts in loads(data).values():
            for text in texts:
                msg = from_string(a2b(text))
                messages += 1
                for part in msg.data.data:
                    for point in part.data:
                        kind = point.WhichOneof("point")
                        if kind is None:
                            continue
                        p = getattr(point, kind)
                        total += p.timestamp + point.source_id
                        timestamps += 1
                        names = fields_of(kind, default)
                        if kind == "pos" and p.fields & 4:
                            names = names + ("altitude",)
                        for name in names:
                            total += getattr(p, name)
                        values += len(names)
        return messages, timestamps, values

    return parse_only, decode


def record(ident, label, size, durations, timestamps, extra):
    """py_decode's record of a step, with samples per second."""
    line = py_decode.record(ident, label, size, durations, extra)
    line.update(
        {
            "median_samples_s": timestamps / statistics.median(durations),
            "best_samples_s": timestamps / min(durations),
            "timestamps": timestamps,
        }
    )
    return line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payload", help="the Riot resources/data body (week-1hz.riot.json)")
    parser.add_argument("--descriptors", help="its FileDescriptorSet (default: payload with .fds)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=0, help="untimed runs after the first")
    parser.add_argument("--out", help="append JSON lines here")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be 1 or more and --warmup 0 or more")

    try:
        import google.protobuf
        from google.protobuf.internal import api_implementation
    except ImportError:
        sys.exit("py_riot_decode: protobuf is not installed (bench/run.sh installs it into a venv)")
    backend = api_implementation.Type()
    if backend != "upb":
        sys.exit(f"py_riot_decode: protobuf runs on the {backend} backend, not upb")

    descriptors = args.descriptors or args.payload.rsplit(".", 1)[0] + ".fds"
    msg_class = message_class(descriptors)
    loads, loads_name = outer_json()
    parse_only, decode = make_steps(msg_class, loads)

    with open(args.payload, "rb") as f:
        data = f.read()
    size = len(data)
    version = f"protobuf {google.protobuf.__version__} ({backend})"

    messages, timestamps, values = decode(data)
    checked, _, _ = parse_only(data)
    if checked != messages:
        sys.exit(f"py_riot_decode: parse only read {checked} messages, decode {messages}")
    extra = {"messages": messages, "values": values, "outer_json": loads_name}
    lines = [
        record(
            "py.upb_riot",
            f"Python {version}: decode, every point read",
            size,
            py_decode.measure(decode, data, args.warmup, args.runs),
            timestamps,
            extra,
        ),
        record(
            "py.upb_riot_parse",
            f"Python {version}: parse only",
            size,
            py_decode.measure(parse_only, data, args.warmup, args.runs),
            timestamps,
            extra,
        ),
    ]

    print(f"{messages} messages, {timestamps} samples, {values} values; outer JSON by {loads_name}")
    py_decode.report(lines, args.out)


if __name__ == "__main__":
    main()
