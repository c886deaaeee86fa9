// Typed access to Telltale's backend: the commands the main window may invoke, the
// events it listens to, and the shapes of what travels between them (issue 3 contract).
// Tokens never come this way; the window only sees account details and errors.

import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { unpackView } from "./browse/packed";
import {
  isAccountView,
  isAppError,
  isRecord,
  readAccountSignedIn,
  readAccountView,
  readCatalog,
  readLoadSummary,
  readOptionalAccount,
  readOverview,
  readSignOut,
} from "./contract";

export { isAccountView, isAppError } from "./contract";

/** The error kinds the backend uses. Others may appear later; treat them as plain errors. */
export const ERROR_KINDS = [
  "cancelled",
  "invalid_callback",
  "sign_in_mix_up",
  "unreachable",
  "timeout",
  "token_rejected",
  "keychain_unavailable",
  "saved_sign_in_unreadable",
  "saved_for_another_server",
  "config",
  "server",
  "invalid_response",
  "sign_in_refused",
  "signed_out",
  "busy",
  "internal",
  "nothing_loaded",
  "io",
  "accounts",
  "refused",
  "live_stopped",
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** What every failing command rejects with. `message` is ready to show as it is. */
export interface AppError {
  kind: string;
  message: string;
}

export interface DemoUser {
  name: string;
  email: string;
  password: string;
  role: string;
  /** The user name at the demo's Riot server (same password), when the backend says. */
  username?: string;
}

export interface AccountView {
  /** The old API's user id; 0 on a Riot server (whose users have a user name instead). */
  id: number;
  /** A Riot account's user name; null on the old API. */
  username: string | null;
  name: string;
  firstName: string | null;
  surname: string | null;
  email: string | null;
  server: string;
  savedInKeychain: boolean;
}

export interface Overview {
  mode: "demo" | "igtimi";
  server: string;
  demoUsers: DemoUser[];
  account: AccountView | null;
  signingIn: boolean;
  profiles: ProfileView[];
  defaultProfile: string;
  accounts: AccountSummary[];
  notice: string | null;
}

/** A sign-in method: "code", "implicit", "password", "token_api" (the old API),
 * "riot_password" or "pasted_token" (Riot). */
export interface MethodView {
  id: string;
  label: string;
  legacy: boolean;
  legacyReason: string;
  /** Asks in Telltale's own form (otherwise the provider's page opens). */
  usesForm: boolean;
  /** What the form asks for: a user name and password, or a pasted token. */
  asksFor: "password" | "token" | null;
}

/** A provider an account can be added at. */
export interface ProfileView {
  id: string;
  name: string;
  kind: "igtimi" | "iternio" | "token_api" | "riot";
  server: string;
  usable: boolean;
  problem: string | null;
  methods: MethodView[];
}

/** One listed account (no secrets). */
export interface AccountSummary {
  key: string;
  name: string;
  email: string | null;
  profileId: string;
  profileName: string;
  method: string;
  legacy: boolean;
  /** Unix seconds, when known. */
  tokenExpiresAt: number | null;
  expiresSoon: boolean;
  signedOut: boolean;
  active: boolean;
}

export interface AccountSignedIn {
  summary: AccountSummary;
  account: AccountView;
  notice: AppError | null;
}

/** What happened to the token at the server when signing out. */
export const REVOCATION_OUTCOMES = [
  "revoked",
  "not_supported",
  "failed",
  /** Riot: forgotten on this computer; the user's one token stays valid at the server. */
  "kept_valid",
  /** Riot, asked to invalidate: the server replaced the token (the user's other apps are
   * signed out too). */
  "rotated",
] as const;
export type RevocationOutcome = (typeof REVOCATION_OUTCOMES)[number];

export interface SignOutResult {
  key?: string;
  revoked: RevocationOutcome;
  /** The backend's words; show them as they are. */
  message: string;
}

/** Payload of `sign-in-finished`: an account (perhaps with a notice), or an error. */
export type SignInFinished =
  { account: AccountView; notice: AppError | null } | { error: AppError };

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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

// Each wrapper rejects with an AppError (see `toAppError`).
export const appStatus = async (): Promise<Overview> =>
  readOverview(await call<unknown>("app_status"));
export const restoreSession = async (): Promise<AccountView | null> =>
  readOptionalAccount(await call<unknown>("restore_session"));
/** Where a sign-in happens: the app's sign-in window, or the system browser coming back as
 * an OS link ("browser") or to a listener on this computer ("loopback"). */
export type SignInVia = "window" | "browser" | "loopback";
export const startSignIn = (
  via: SignInVia = "window",
  profile: string | null = null,
  method: string | null = null,
): Promise<null> => call<null>("start_sign_in", { via, profile, method });
/** Signs in with Telltale's own form: the old API's password grant or token API, or a
 * Riot server's user name and password (`riot_password`). */
export const signInWithPassword = async (
  profile: string,
  method: string,
  username: string,
  password: string,
): Promise<AccountSignedIn> =>
  readAccountSignedIn(
    await call<unknown>("sign_in_with_password", { profile, method, username, password }),
  );
/** Signs in to a Riot profile with a token copied from the server's web pages. */
export const signInWithToken = async (profile: string, token: string): Promise<AccountSignedIn> =>
  readAccountSignedIn(await call<unknown>("sign_in_with_token", { profile, token }));
export const switchAccount = async (key: string): Promise<AccountView | null> =>
  readOptionalAccount(await call<unknown>("switch_account", { key }));
export const cancelSignIn = (): Promise<null> => call<null>("cancel_sign_in");
export const refreshAccount = async (): Promise<AccountView> =>
  readAccountView(await call<unknown>("refresh_account"));
/** Signs out of `key` (default: the active account). On a Riot server `invalidate` also
 * replaces the user's token there, which signs out every other app of that user. */
export const signOut = async (
  key: string | null = null,
  invalidate = false,
): Promise<SignOutResult> => readSignOut(await call<unknown>("sign_out", { key, invalidate }));

function readSignInFinished(payload: unknown): SignInFinished {
  if (isRecord(payload)) {
    if (isAppError(payload.error)) {
      return { error: payload.error };
    }
    if (isAccountView(payload.account)) {
      const notice = isAppError(payload.notice) ? payload.notice : null;
      return { account: readAccountView(payload.account), notice };
    }
  }
  return {
    error: { kind: "internal", message: "Telltale could not read the result of signing in." },
  };
}

/** What the backend tells the main window on its channel (see `listenAppEvents`). */
export interface AppEventHandlers {
  /** A sign-in ended (signed in, failed or cancelled). */
  signInFinished: (result: SignInFinished) => void;
  /** A sign-in link arrived that matches no sign-in; nothing changed. */
  callbackIgnored: (notice: AppError) => void;
}

/**
 * Opens the main window's channel for sign-in results and ignored sign-in links. What the
 * backend said before it was opened (a link that started the app, say) arrives first.
 */
export async function listenAppEvents(handlers: AppEventHandlers): Promise<void> {
  const channel = new Channel<unknown>();
  channel.onmessage = (message) => {
    const event = isRecord(message) ? message.event : undefined;
    const payload = isRecord(message) ? message.payload : undefined;
    if (event === "sign-in-finished") {
      handlers.signInFinished(readSignInFinished(payload));
    } else if (event === "callback-ignored") {
      handlers.callbackIgnored(
        isAppError(payload)
          ? payload
          : {
              kind: "invalid_callback",
              message: "A sign-in link arrived that Telltale did not ask for. Nothing changed.",
            },
      );
    }
  };
  await call<null>("listen_app_events", { channel });
}

// ---- browsing devices, sessions and data (issue 4 contract, sections 3 and 4) ---------
// Times are milliseconds since the Unix epoch (UTC) throughout.

/** A data access window through which someone shared a device's data with this account. */
export interface WindowView {
  start: number;
  end: number;
  /** Who the window grants access to, in words (a user's or a group's name). */
  recipient: string;
}

/** A Riot data access window: the device's data in [start, end] is readable (even for its
 * owner, only inside one). */
export interface AccessWindowView {
  id: number;
  serial: string;
  start: number;
  end: number;
}

export interface DeviceView {
  serial: string;
  /** The serial again when the device's name is not known. */
  name: string;
  owned: boolean;
  sharedWindows: WindowView[];
  /** Riot: the device's data access windows, oldest first. Empty on the old API. */
  accessWindows: AccessWindowView[];
}

/** Which API the account's server speaks. A Riot server has no sessions and no groups. */
export type Dialect = "igtimi" | "riot";

export interface GroupView {
  id: number;
  name: string;
  hidden: boolean;
}

export interface SessionView {
  id: number;
  name: string;
  start: number;
  /** Null while the session is still open. */
  end: number | null;
  ownerId: number | null;
  ownerName: string | null;
}

export interface FieldView {
  name: string;
  unit: string;
}

export interface TypeView {
  code: number;
  shortName: string;
  name: string;
  fields: FieldView[];
}

export interface CatalogView {
  dialect: Dialect;
  devices: DeviceView[];
  groups: GroupView[];
  /** Newest first. */
  sessions: SessionView[];
  dataTypes: TypeView[];
  /** End of the newest readable resource (last 400 days); anchors the range presets. */
  newestDataMs: number | null;
}

/** A block of data one device recorded, with the types it holds. */
export interface ResourceView {
  id: number;
  serial: string;
  deviceName: string;
  start: number;
  end: number;
  types: number[];
  typeNames: string[];
}

export interface LoadRequest {
  from: number;
  to: number;
  serials: string[];
}

/** Payload of the `load-progress` event. */
export interface LoadProgress {
  loadId: number;
  chunksDone: number;
  chunksTotal: number;
  chunksFailed: number;
  bytes: number;
  retrying: boolean;
}

/** One plotted quantity: a field of a type from one data source. */
export interface ChannelView {
  /** Type key: "9", or "13:100" with a data source id. */
  key: string;
  code: number;
  dsi: number;
  /** 1-based field index within the type. */
  field: number;
  shortName: string;
  name: string;
  unit: string;
  /** What to call it on screen: "SOG", "SOG (src 100)", "HR bpm". */
  label: string;
}

export interface LoadedDevice {
  serial: string;
  name: string;
  channels: ChannelView[];
}

/** A time window whose data could not be fetched, even after retries. */
export interface FailedChunk {
  start: number;
  end: number;
  error: AppError;
}

export interface LoadSummary {
  loadId: number;
  from: number;
  to: number;
  devices: LoadedDevice[];
  samples: number;
  bytes: number;
  chunksTotal: number;
  chunksFromCache: number;
  /** Chunks that failed, and (Riot) devices whose part of a chunk could not be read. */
  failed: FailedChunk[];
  /** Things to know that are not failures, in plain sentences (e.g. a device with no data
   * access window over the range). */
  notes: string[];
}

export interface ViewRequest {
  from: number;
  to: number;
  /** Pixels across the plot, 100..=8192: the number of downsampling buckets. */
  width: number;
}

export interface SeriesView {
  serial: string;
  deviceName: string;
  channel: ChannelView;
  t: number[];
  /** null marks a gap: the line breaks there. */
  v: (number | null)[];
}

export interface TrackView {
  serial: string;
  deviceName: string;
  t: number[];
  lon: number[];
  lat: number[];
  /** Knots; null where not known. */
  speed: (number | null)[];
}

export interface DataView {
  from: number;
  to: number;
  series: SeriesView[];
  tracks: TrackView[];
}

export interface LatestValue {
  channel: ChannelView;
  value: number;
  time: number;
}

export interface LatestView {
  serial: string;
  deviceName: string;
  values: LatestValue[];
}

/** Where a boat's true wind comes from (telltale-analysis `WindSource`). */
export type WindSource = "measured" | "derived" | "fleet" | "none";

/** A tack or gybe (telltale-analysis `Maneuver`); NaN figures come as null. */
export interface Maneuver {
  kind: "tack" | "gybe";
  atMs: number;
  startMs: number;
  endMs: number;
  headingChange: number | null;
  entrySpeed: number | null;
  speedLost: number | null;
  distanceLostM: number | null;
  toSide: number;
}

/** An upwind or downwind leg (telltale-analysis `Leg`). */
export interface Leg {
  kind: "upwind" | "downwind";
  startMs: number;
  endMs: number;
  vmg: number | null;
  madeGoodM: number | null;
}

export interface BoatAnalysis {
  serial: string;
  name: string;
  wind: WindSource;
  maneuvers: Maneuver[];
  legs: Leg[];
}

export interface AnalysisView {
  from: number;
  to: number;
  boats: BoatAnalysis[];
}

export type ExportFormat = "gpx" | "csv";

/** Where an export was saved; null from `exportData` when the user cancelled the dialog. */
export interface ExportResult {
  path: string;
  rows: number;
}

export const browseCatalog = async (): Promise<CatalogView> =>
  readCatalog(await call<unknown>("browse_catalog"));
export const browseResources = (from: number, to: number): Promise<ResourceView[]> =>
  call<ResourceView[]>("browse_resources", { from, to });
/** Rejects with kind `cancelled` when `cancelLoad` (or a newer load) stopped it. */
export const loadData = async (request: LoadRequest): Promise<LoadSummary> =>
  readLoadSummary(await call<unknown>("load_data", { request }));
/** True if a load was running. */
export const cancelLoad = (): Promise<boolean> => call<boolean>("cancel_load");
/** The downsampled view; it comes as packed bytes (see browse/packed.ts). */
export async function dataView(request: ViewRequest): Promise<DataView> {
  const bytes = await call<ArrayBuffer>("data_view", { request });
  try {
    return unpackView(bytes);
  } catch (reason) {
    const message = reason instanceof Error ? reason.message : String(reason);
    throw { kind: "invalid_response", message: `The data view could not be read: ${message}.` };
  }
}
export const latestValues = (serials: string[]): Promise<LatestView[]> =>
  call<LatestView[]>("latest_values", { serials });
/** Tacks, gybes and legs of the loaded data over [from, to]. */
export const analyseData = (from: number, to: number): Promise<AnalysisView> =>
  call<AnalysisView>("analyse_data", { from, to });
export const exportData = (
  format: ExportFormat,
  from: number,
  to: number,
): Promise<ExportResult | null> => call<ExportResult | null>("export_data", { format, from, to });

// Riot: what an owner manages before any data can be read.
/** Registers a device by serial and name (best before it first connects to the server). */
export const registerDevice = (serial: string, name: string): Promise<null> =>
  call<null>("register_device", { serial, name });
/** Opens a data access window over [from, to] (ms) on the device `serial`. */
export const openDataWindow = (
  serial: string,
  from: number,
  to: number,
): Promise<AccessWindowView> =>
  call<AccessWindowView>("open_data_window", { serial, from, to });
/** Closes the data access window `id`: its data is no longer readable through it. */
export const closeDataWindow = (id: number): Promise<null> =>
  call<null>("close_data_window", { id });

function readLoadProgress(payload: unknown): LoadProgress | null {
  if (!isRecord(payload)) {
    return null;
  }
  const number = (key: string): number => {
    const value = payload[key];
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  };
  if (typeof payload.loadId !== "number") {
    return null;
  }
  return {
    loadId: payload.loadId,
    chunksDone: number("chunksDone"),
    chunksTotal: number("chunksTotal"),
    chunksFailed: number("chunksFailed"),
    bytes: number("bytes"),
    retrying: payload.retrying === true,
  };
}

/** Progress of the running `loadData`; payloads that cannot be read are skipped. */
export function onLoadProgress(handler: (progress: LoadProgress) => void): Promise<UnlistenFn> {
  return listen<unknown>("load-progress", (event) => {
    const progress = readLoadProgress(event.payload);
    if (progress) {
      handler(progress);
    }
  });
}
