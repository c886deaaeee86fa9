// Typed access to Telltale's backend: the commands the main window may invoke and what the
// backend tells it on its channel. Every shape comes from the Rust types, generated into
// generated/bindings.ts (`Commands` gives each command's arguments and answer; a Rust test,
// src-tauri/src/tests/ts_bindings.rs, fails when that file is stale), so no answer of our
// own backend is checked again here. Tokens never come this way; the window only sees
// account details and errors.

import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { unpackView } from "./browse/packed";
import type {
  AccessWindowView,
  AccountsOverview,
  AccountSignedIn,
  AccountSignedOut,
  AccountView,
  AnalysisView,
  AppError,
  AppEvent,
  CatalogView,
  Commands,
  DataView,
  ExportFormat,
  LatestView,
  LoadProgress,
  LoadRequest,
  LoadSummary,
  MapTilesView,
  ResourceView,
  Saved,
  SignInFinished,
  ViewRequest,
} from "./generated/bindings";

export type {
  AccessWindowView,
  AccountSignedIn,
  AccountSummary,
  AccountView,
  AnalysisView,
  AppError,
  BoatAnalysis,
  CatalogView,
  ChannelView,
  DataView,
  DemoUser,
  DeviceView,
  ErrorKind,
  ExportFormat,
  FailedChunk,
  FieldView,
  GroupView,
  LatestValue,
  LatestView,
  Leg,
  LoadedDevice,
  LoadProgress,
  LoadRequest,
  LoadSummary,
  Maneuver,
  MethodView,
  PackedHeader,
  PolarBin,
  ProfileView,
  ResourceView,
  RevocationOutcome,
  SeriesView,
  SessionView,
  SignInFinished,
  TargetPolar,
  TrackView,
  TypeView,
  ViewRequest,
  WindowView,
  WindSource,
} from "./generated/bindings";

/** `app_status`: profiles, accounts, the mode and (if known) the active account. */
export type Overview = AccountsOverview;
/** `sign_out`: which account, what happened to its token at the server, in words. */
export type SignOutResult = AccountSignedOut;
/** Where an export was saved; null from `exportData` when the user cancelled the dialog. */
export type ExportResult = Saved;
/** Where the map's background tiles come from: a URL template with {z}, {x} and {y}, the
 *  attribution the tiles' licence asks for (plain text), and the deepest zoom they have. */
export type MapTiles = MapTilesView;
/** Which API the account's server speaks. A Riot server has no sessions and no groups. */
export type Dialect = CatalogView["dialect"];

/** Whether a rejection carries an AppError; Tauri itself rejects with plain strings. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const { kind, message } = value as Record<string, unknown>;
  return typeof kind === "string" && typeof message === "string";
}

/** Turns anything a rejected promise may carry into an AppError. */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) {
    return { kind: reason.kind, message: reason.message };
  }
  let detail = "";
  if (typeof reason === "string") {
    detail = reason;
  } else if (reason instanceof Error) {
    detail = reason.message;
  }
  return {
    kind: "internal",
    message: detail
      ? `Something went wrong inside Telltale: ${detail}`
      : "Something went wrong inside Telltale.",
  };
}

/** Failures worth trying again as they are: the server was not reached or not well. */
export function isRetryable(error: AppError): boolean {
  return error.kind === "unreachable" || error.kind === "timeout" || error.kind === "server";
}

type Command = keyof Commands;
type Args<C extends Command> = Commands[C]["args"];

/** Invokes `command` with its arguments (left out when it takes none or only optional
 * ones); rejects with an AppError (see `toAppError`). */
export async function call<C extends Command>(
  command: C,
  ...args: Record<string, never> extends Args<C> ? [Args<C>?] : [Args<C>]
): Promise<Commands[C]["answer"]> {
  try {
    return await invoke<Commands[C]["answer"]>(command, args[0] as InvokeArgs | undefined);
  } catch (reason) {
    throw toAppError(reason);
  }
}

export const appStatus = (): Promise<Overview> => call("app_status");
export const restoreAccount = (): Promise<AccountView | null> => call("restore_account");
/** Where a sign-in happens: the app's sign-in window, or the system browser coming back as
 * an OS link ("browser") or to a listener on this computer ("loopback"). */
export type SignInVia = "window" | "browser" | "loopback";
export const startSignIn = (
  via: SignInVia = "window",
  profile: string | null = null,
  method: string | null = null,
): Promise<null> => call("start_sign_in", { via, profile, method });
/** Signs in with Telltale's own form: the old API's password grant or token API, or a
 * Riot server's user name and password (`riot_password`). */
export const signInWithPassword = (
  profile: string,
  method: string,
  username: string,
  password: string,
): Promise<AccountSignedIn> =>
  call("sign_in_with_password", { profile, method, username, password });
/** Signs in to a Riot profile with a token copied from the server's web pages. */
export const signInWithToken = (profile: string, token: string): Promise<AccountSignedIn> =>
  call("sign_in_with_token", { profile, token });
export const switchAccount = (key: string): Promise<AccountView | null> =>
  call("switch_account", { key });
export const cancelSignIn = (): Promise<null> => call("cancel_sign_in");
export const refreshAccount = (): Promise<AccountView> => call("refresh_account");
/** Signs out of `key` (default: the active account). On a Riot server `invalidate` also
 * replaces the user's token there, which signs out every other app of that user. */
export const signOut = (key: string | null = null, invalidate = false): Promise<SignOutResult> =>
  call("sign_out", { key, invalidate });

/** What the backend tells the main window on its channel (see `listenAppEvents`). */
export interface AppEventHandlers {
  /** A sign-in ended (signed in, failed or cancelled). */
  signInFinished: (result: SignInFinished) => void;
  /** A sign-in link arrived that matches no sign-in; nothing changed. */
  callbackIgnored: (notice: AppError) => void;
}

/** Who hears load progress (`onLoadProgress`): the browse area, once loaded. */
const progressHandlers = new Set<(progress: LoadProgress) => void>();

/**
 * Opens the main window's channel: sign-in results, ignored sign-in links and load
 * progress all come this one way. What the backend said before it was opened (a link that
 * started the app, say) arrives first.
 */
export async function listenAppEvents(handlers: AppEventHandlers): Promise<void> {
  const channel = new Channel<AppEvent>();
  channel.onmessage = (message) => {
    switch (message.event) {
      case "sign-in-finished":
        handlers.signInFinished(message.payload);
        break;
      case "callback-ignored":
        handlers.callbackIgnored(message.payload);
        break;
      case "load-progress":
        for (const handler of progressHandlers) {
          handler(message.payload);
        }
        break;
    }
  };
  await call("listen_app_events", { channel });
}

/** Progress of the running `loadData`, from the channel `listenAppEvents` opened; returns
 * what stops it. */
export function onLoadProgress(handler: (progress: LoadProgress) => void): () => void {
  progressHandlers.add(handler);
  return () => progressHandlers.delete(handler);
}

// ---- browsing devices, sessions and data (issue 4 contract, sections 3 and 4) ---------
// Times are milliseconds since the Unix epoch (UTC) throughout.

export const browseCatalog = (): Promise<CatalogView> => call("browse_catalog");
export const browseResources = (from: number, to: number): Promise<ResourceView[]> =>
  call("browse_resources", { from, to });
/** Rejects with kind `cancelled` when `cancelLoad` (or a newer load) stopped it. */
export const loadData = (request: LoadRequest): Promise<LoadSummary> =>
  call("load_data", { request });
/** True if a load was running. */
export const cancelLoad = (): Promise<boolean> => call("cancel_load");
/** The downsampled view; it comes as packed bytes (see browse/packed.ts). */
export async function dataView(request: ViewRequest): Promise<DataView> {
  const bytes = await call("data_view", { request });
  try {
    return unpackView(bytes);
  } catch (reason) {
    const message = reason instanceof Error ? reason.message : String(reason);
    throw { kind: "invalid_response", message: `The data view could not be read: ${message}.` };
  }
}
export const latestValues = (serials: string[]): Promise<LatestView[]> =>
  call("latest_values", { serials });
/** Tacks, gybes and legs of the loaded data over [from, to]. */
export const analyseData = (from: number, to: number): Promise<AnalysisView> =>
  call("analyse_data", { from, to });
/** Uses the target polar table `text` (read in Rust) from the next analysis on; null clears
 *  it. Rejects with kind `unreadable_file`, saying where, when it is not a table. */
export const setTargetPolar = async (text: string | null): Promise<void> => {
  await call("set_target_polar", { text });
};
export const exportData = (
  format: ExportFormat,
  from: number,
  to: number,
): Promise<ExportResult | null> => call("export_data", { format, from, to });

// Riot: what an owner manages before any data can be read.
/** Registers a device by serial and name (best before it first connects to the server). */
export const registerDevice = (serial: string, name: string): Promise<null> =>
  call("register_device", { serial, name });
/** Opens a data access window over [from, to] (ms) on the device `serial`. */
export const openDataWindow = (
  serial: string,
  from: number,
  to: number,
): Promise<AccessWindowView> => call("open_data_window", { serial, from, to });
/** Closes the data access window `id`: its data is no longer readable through it. */
export const closeDataWindow = (id: number): Promise<null> => call("close_data_window", { id });

/** The map's tile source; rejects when there is none (the map then shows a grid). */
export const mapTiles = (): Promise<MapTiles> => call("map_tiles");
