// The live feed's three commands; the shapes they answer are generated from the Rust types
// (../generated/bindings.ts). Like every wrapper in ../api.ts, each rejects with an
// AppError; `live_next` also with kind `live_stopped` once the feed is gone.

import { call } from "../api";
import type { LiveStarted, LiveStatus, LiveUpdate, QuietDevice } from "../generated/bindings";

export type {
  LiveCounts,
  LiveDevice,
  LiveSamples,
  LiveStarted,
  LiveStatus,
  LiveUpdate,
} from "../generated/bindings";
/** A device that has sent nothing since `since_ms` (null: nothing yet). */
export type LiveQuiet = QuietDevice;
export type LiveState = LiveStatus["state"];

/** The kind `live_next` rejects with when the feed's id is gone (stopped or replaced). */
export const LIVE_STOPPED = "live_stopped";

/** Starts watching `serials` (a second start replaces the first feed). */
export const liveStart = (serials: string[]): Promise<LiveStarted> =>
  call("live_start", { serials });

/** Waits for anything newer than `after` (the last update's `seq`; 0 at first), at most
 * about a second; then answers, with no samples if nothing came. */
export const liveNext = (id: number, after: number): Promise<LiveUpdate> =>
  call("live_next", { id, after });

/** Stops the feed `id`; false when it was not running. */
export const liveStop = (id: number): Promise<boolean> => call("live_stop", { id });
