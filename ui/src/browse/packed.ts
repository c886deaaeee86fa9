// Reads the packed view that `data_view` returns as raw bytes (layout in
// crates/telltale-core/src/browse/packed.rs): "TTV1", a u32 header length, a JSON header
// naming the series and tracks, zero padding to a multiple of 8, then every number as a
// little-endian f64, NaN for a gap. The numbers are read through Float64Array views (no
// JSON parse of a megabyte of digits) and handed on as plain arrays with null at gaps, which
// is what uPlot breaks its lines on.

import type { ChannelView, DataView, SeriesView, TrackView } from "../api";

const MAGIC = "TTV1";

interface Header {
  from: number;
  to: number;
  series: { serial: string; deviceName: string; channel: ChannelView; len: number }[];
  tracks: { serial: string; deviceName: string; len: number }[];
}

/** Why a packed view could not be read. */
export class PackedViewError extends Error {}

/** Copies `len` numbers from `numbers` at `at`; NaN becomes null when `gaps` is set. */
function column(numbers: Float64Array, at: number, len: number, gaps: true): (number | null)[];
function column(numbers: Float64Array, at: number, len: number, gaps: false): number[];
function column(numbers: Float64Array, at: number, len: number, gaps: boolean): (number | null)[] {
  const out = new Array<number | null>(len);
  for (let i = 0; i < len; i++) {
    const x = numbers[at + i]!;
    out[i] = gaps && Number.isNaN(x) ? null : x;
  }
  return out;
}

/** The view in `bytes`; throws [PackedViewError] when they are not a whole packed view. */
export function unpackView(bytes: ArrayBuffer): DataView {
  if (bytes.byteLength < 8) {
    throw new PackedViewError(`a packed view of ${bytes.byteLength} bytes`);
  }
  const start = new Uint8Array(bytes, 0, 8);
  const magic = String.fromCharCode(start[0]!, start[1]!, start[2]!, start[3]!);
  if (magic !== MAGIC) {
    throw new PackedViewError(`not a packed view (starts with ${JSON.stringify(magic)})`);
  }
  const headerLength = new globalThis.DataView(bytes).getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) {
    throw new PackedViewError("the packed view's header runs past its end");
  }
  const header = JSON.parse(
    new TextDecoder().decode(new Uint8Array(bytes, 8, headerLength)),
  ) as Header;
  const offset = Math.ceil((8 + headerLength) / 8) * 8;
  const wanted =
    header.series.reduce((sum, s) => sum + 2 * s.len, 0) +
    header.tracks.reduce((sum, t) => sum + 4 * t.len, 0);
  if (offset + 8 * wanted !== bytes.byteLength) {
    throw new PackedViewError(
      `the packed view holds ${bytes.byteLength} bytes, its header promises ${offset + 8 * wanted}`,
    );
  }
  const numbers = new Float64Array(bytes, offset, wanted);
  let at = 0;
  const take = <G extends boolean>(len: number, gaps: G) => {
    const values = gaps ? column(numbers, at, len, true) : column(numbers, at, len, false);
    at += len;
    return values;
  };
  const series: SeriesView[] = header.series.map((s) => ({
    serial: s.serial,
    deviceName: s.deviceName,
    channel: s.channel,
    t: take(s.len, false) as number[],
    v: take(s.len, true),
  }));
  const tracks: TrackView[] = header.tracks.map((t) => ({
    serial: t.serial,
    deviceName: t.deviceName,
    t: take(t.len, false) as number[],
    lon: take(t.len, false) as number[],
    lat: take(t.len, false) as number[],
    speed: take(t.len, true),
  }));
  return { from: header.from, to: header.to, series, tracks };
}
