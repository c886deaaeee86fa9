// What the live view holds (pure: no DOM, tested by scripts/live.test.mjs): per device and
// channel the newest sample, and for the channels drawn over time (positions, SOG, wind
// speeds) their last `keepMs` in a ChannelBuffer. Batches are merged as they come: a
// sample not newer than what its channel already holds is refused, so a batch sent twice
// changes nothing.

import type { LiveDevice, LiveSamples } from "./api";
import { ChannelBuffer, MAX_CHANNEL_SAMPLES } from "./buffer";

/** Type codes (the catalog's type table; app units). */
export const CODE = {
  position: 1,
  cog: 6,
  hdg: 8,
  sog: 9,
  stw: 10,
  awa: 11,
  aws: 12,
  battery: 15,
  twd: 22,
  tws: 23,
} as const;

/** Types whose recent past is kept, with how many fields: the track and the charts. */
const HISTORY_FIELDS: ReadonlyMap<number, number> = new Map([
  [CODE.position, 2],
  [CODE.sog, 1],
  [CODE.aws, 1],
  [CODE.tws, 1],
]);

/** More channels than this from one device, or devices than this in one feed, are not
 * kept (no instrument has as many; the feed's devices are the user's pick). */
const MAX_DEVICE_CHANNELS = 256;
const MAX_DEVICES = 256;

export interface Newest {
  t: number;
  values: number[];
}

export interface LiveChannel {
  code: number;
  dsi: number;
  /** The newest sample applied (null until one is). */
  newest: Newest | null;
  /** Recent samples, for the types drawn over time; null for the others. */
  history: ChannelBuffer | null;
}

export class LiveDeviceData {
  /** By `code:dsi`. */
  readonly channels = new Map<string, LiveChannel>();

  constructor(
    readonly serial: string,
    readonly name: string,
    /** Place in the feed's device list: picks the device's colour. */
    readonly index: number,
  ) {}

  /** The channel of type `code` from the lowest data source (dsi 0 is the main sensor) that
   * has data; null when none has. */
  channel(code: number): LiveChannel | null {
    let best: LiveChannel | null = null;
    for (const channel of this.channels.values()) {
      if (channel.code === code && channel.newest && (!best || channel.dsi < best.dsi)) {
        best = channel;
      }
    }
    return best;
  }

  /** The newest value of field `field` of type `code`, with its time; null when none. */
  value(code: number, field = 0): { t: number; value: number } | null {
    const newest = this.channel(code)?.newest;
    const value = newest?.values[field];
    return newest && value !== undefined && Number.isFinite(value)
      ? { t: newest.t, value }
      : null;
  }

  /** Time of the newest sample of any channel; -Infinity before the first. */
  newestTime(): number {
    let newest = Number.NEGATIVE_INFINITY;
    for (const channel of this.channels.values()) {
      newest = Math.max(newest, channel.newest?.t ?? newest);
    }
    return newest;
  }
}

export const validPosition = (lon: number, lat: number): boolean =>
  Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;

export class LiveStore {
  readonly devices = new Map<string, LiveDeviceData>();
  /** Samples applied (newer than their channel's newest). */
  applied = 0;
  /** Samples refused: not newer than their channel's newest, or without a time. */
  refused = 0;
  /** Samples let go because they fell out of the kept window. */
  trimmed = 0;
  /** Samples let go because a channel reached its capacity (a burst above ~100 Hz). */
  capped = 0;
  private readonly scratch = [0, 0];

  constructor(
    devices: readonly LiveDevice[],
    readonly keepMs: number,
    private readonly maxChannelSamples = MAX_CHANNEL_SAMPLES,
  ) {
    for (const device of devices) {
      this.device(device.serial, device.name);
    }
  }

  /** The device `serial`, added (named by its serial) when the feed had not listed it. */
  device(serial: string, name = serial): LiveDeviceData {
    let device = this.devices.get(serial);
    if (!device) {
      device = new LiveDeviceData(serial, name, this.devices.size);
      this.devices.set(serial, device);
    }
    return device;
  }

  /** Merges a batch; returns, per channel that got samples, `now - t` of its newest one. */
  apply(batch: readonly LiveSamples[], now: number): number[] {
    const lags: number[] = [];
    for (const block of batch) {
      const channel = this.channelOf(block);
      if (!channel) {
        this.refused += block.t.length;
        continue;
      }
      const history = channel.history;
      const first = block.fields[0] ?? [];
      const second = block.fields[1] ?? [];
      const position = block.code === CODE.position;
      let last = channel.newest?.t ?? Number.NEGATIVE_INFINITY;
      let lastIndex = -1;
      for (let i = 0; i < block.t.length; i++) {
        const t = block.t[i]!;
        if (!(t > last) || !Number.isFinite(t)) {
          this.refused++;
          continue;
        }
        last = t;
        lastIndex = i;
        this.applied++;
        if (history) {
          const a = first[i] ?? Number.NaN;
          const b = second[i] ?? Number.NaN;
          // A position without a fix is not drawn; its time still counts as seen.
          if (position && !validPosition(a, b)) {
            continue;
          }
          this.scratch[0] = a;
          this.scratch[1] = b;
          this.capped += history.push(t, this.scratch);
        }
      }
      if (lastIndex >= 0) {
        channel.newest = {
          t: last,
          values: block.fields.map((column) => column[lastIndex] ?? Number.NaN),
        };
        if (history) {
          this.trimmed += history.trimBefore(last - this.keepMs);
        }
        lags.push(now - last);
      }
    }
    return lags;
  }

  /** Samples held in the kept windows (what the page's memory grows with). */
  held(): number {
    let held = 0;
    for (const device of this.devices.values()) {
      for (const channel of device.channels.values()) {
        held += channel.history?.length ?? 0;
      }
    }
    return held;
  }

  /** The newest sample time of any device; -Infinity before the first. */
  newestTime(): number {
    let newest = Number.NEGATIVE_INFINITY;
    for (const device of this.devices.values()) {
      newest = Math.max(newest, device.newestTime());
    }
    return newest;
  }

  private channelOf(block: LiveSamples): LiveChannel | null {
    if (!this.devices.has(block.serial) && this.devices.size >= MAX_DEVICES) {
      return null;
    }
    const device = this.device(block.serial);
    const key = `${block.code}:${block.dsi}`;
    let channel = device.channels.get(key);
    if (!channel) {
      if (device.channels.size >= MAX_DEVICE_CHANNELS) {
        return null;
      }
      const fields = HISTORY_FIELDS.get(block.code);
      channel = {
        code: block.code,
        dsi: block.dsi,
        newest: null,
        history: fields ? new ChannelBuffer(fields, this.maxChannelSamples) : null,
      };
      device.channels.set(key, channel);
    }
    return channel;
  }
}
