// The live feed's three commands (see ../contract.ts for the shapes and their readers).
// Like every wrapper in ../api.ts, each rejects with an AppError; `live_next` also with
// kind `live_stopped` once the feed is gone.

import { invoke } from "@tauri-apps/api/core";
import { toAppError } from "../api";
import { readLiveStarted, readLiveUpdate, type LiveStarted, type LiveUpdate } from "./contract";

export type {
  LiveCounts,
  LiveDevice,
  LiveQuiet,
  LiveSamples,
  LiveStarted,
  LiveState,
  LiveStatus,
  LiveUpdate,
} from "./contract";

/** The kind `live_next` rejects with when the feed's id is gone (stopped or replaced). */
export const LIVE_STOPPED = "live_stopped";

async function call(command: string, args: Record<string, unknown>): Promise<unknown> {
  try {
    return await invoke<unknown>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

/** Starts watching `serials` (a second start replaces the first feed). */
export const liveStart = async (serials: string[]): Promise<LiveStarted> =>
  readLiveStarted(await call("live_start", { serials }));

/** Waits for anything newer than `after` (the last update's `seq`; 0 at first), at most
 * about a second; then answers, with no samples if nothing came. */
export const liveNext = async (id: number, after: number): Promise<LiveUpdate> =>
  readLiveUpdate(await call("live_next", { id, after }));

/** Stops the feed `id`; false when it was not running. */
export const liveStop = async (id: number): Promise<boolean> =>
  (await call("live_stop", { id })) === true;
