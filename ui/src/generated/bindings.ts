// Generated from the Rust types by src-tauri/src/tests/ts_bindings.rs; do not edit.
// After changing them: TS_UPDATE=1 cargo test -p telltale --offline ts_bindings
import type { Channel } from "@tauri-apps/api/core";

/**
 * A Riot data access window: the device's data in `[start, end]` is readable.
 */
export type AccessWindowView = {
  /**
   * The server's id (to close it).
   */
  id: number,
  /**
   * The device.
   */
  serial: string,
  /**
   * First moment covered, ms.
   */
  start: number,
  /**
   * Last moment covered, ms.
   */
  end: number,
};

/**
 * A completed sign-in.
 */
export type AccountSignedIn = {
  /**
   * The account as listed.
   */
  summary: AccountSummary,
  /**
   * The account as its provider describes it.
   */
  account: AccountView,
  /**
   * Something the user should know, e.g. that the keychain could not save the sign-in.
   */
  notice: AppError | null,
};

/**
 * The result of signing out of one account.
 */
export type AccountSignedOut = {
  /**
   * The account that was signed out of.
   */
  key: string,
  /**
   * What happened at the provider.
   */
  revoked: RevocationOutcome,
  /**
   * Plain words for the user.
   */
  message: string,
};

/**
 * One account in the list.
 */
export type AccountSummary = {
  /**
   * `<profile id>/<user id>` (sent back to switch or sign out).
   */
  key: string,
  /**
   * The name shown.
   */
  name: string,
  /**
   * The email, when the provider gave one.
   */
  email: string | null,
  /**
   * The profile's id.
   */
  profileId: string,
  /**
   * The profile's name (or its id when the profile is no longer configured).
   */
  profileName: string,
  /**
   * How the user signed in.
   */
  method: SignInMethod,
  /**
   * Whether that method is a legacy one.
   */
  legacy: boolean,
  /**
   * When the token expires (Unix seconds), when known.
   */
  tokenExpiresAt: number | null,
  /**
   * Less than three days are left: ask the user to sign in again.
   */
  expiresSoon: boolean,
  /**
   * The token is gone (expired or refused): the user must sign in again to use it.
   */
  signedOut: boolean,
  /**
   * Whether this is the active account.
   */
  active: boolean,
};

/**
 * The signed-in account as the UI shows it.
 */
export type AccountView = {
  /**
   * The Igtimi user id (0 on a Riot server, whose users have a user name instead).
   */
  id: number,
  /**
   * The user name on a Riot server; `None` on the old API.
   */
  username: string | null,
  /**
   * A name to show.
   */
  name: string,
  /**
   * Given name, if any.
   */
  firstName: string | null,
  /**
   * Family name, if any.
   */
  surname: string | null,
  /**
   * E-mail, if shared.
   */
  email: string | null,
  /**
   * The server the account lives on.
   */
  server: string,
  /**
   * Whether the sign-in is saved in the keychain (false: lasts until the app closes).
   */
  savedInKeychain: boolean,
};

/**
 * The whole state at a glance, for the first paint and after every change.
 */
export type AccountsOverview = {
  /**
   * `demo` (the embedded simulator is running) or `igtimi`.
   */
  mode: "demo" | "igtimi",
  /**
   * The server of the active account's provider, else of the default profile.
   */
  server: string,
  /**
   * Who can sign in to the embedded simulator (empty unless demo).
   */
  demoUsers: Array<DemoUser>,
  /**
   * Every provider an account can be added at.
   */
  profiles: Array<ProfileView>,
  /**
   * The id of the profile a new sign-in uses unless the user picks another.
   */
  defaultProfile: string,
  /**
   * Every listed account, in the order they were first added.
   */
  accounts: Array<AccountSummary>,
  /**
   * The active account as its provider describes it, once read.
   */
  account: AccountView | null,
  /**
   * Whether a sign-in is waiting for its redirect.
   */
  signingIn: boolean,
  /**
   * Something the user should know about the account list (e.g. a damaged file was
   * kept aside), in plain words.
   */
  notice: string | null,
};

/**
 * The analysis of every boat in the range.
 */
export type AnalysisView = { from: number, to: number, boats: Array<BoatAnalysis>,
  /**
   * The target polar in use, for drawing its curves; `None` when none is loaded.
   */
  target: TargetPolar | null,
};

/**
 * What every failing command rejects with; `message` is ready to show as it is.
 */
export type AppError = { kind: ErrorKind, message: string, };

/**
 * One message on the main window's channel: `{event, payload}`.
 */
export type AppEvent = { "event": "sign-in-finished", "payload": SignInFinished } | { "event": "callback-ignored", "payload": AppError } | { "event": "load-progress", "payload": LoadProgress };

/**
 * One boat's analysis.
 */
export type BoatAnalysis = { serial: string, name: string,
  /**
   * Where its true wind comes from: `measured`, `derived` (from its apparent wind),
   * `fleet` (the other boats') or `none`.
   */
  wind: WindSource, maneuvers: Array<Maneuver>, legs: Array<Leg>,
  /**
   * Boat speed by true wind angle and wind band, with the target's speed when one is set.
   */
  polar: Array<PolarBin>,
};

/**
 * Everything the account can browse, for the "Your data" area.
 */
export type CatalogView = {
  /**
   * The API the server speaks: `igtimi` (the old JSON API) or `riot`. A Riot server has
   * no sessions and no groups: data is browsed by device and time.
   */
  dialect: "igtimi" | "riot",
  /**
   * Own devices, then devices shared with the account.
   */
  devices: Array<DeviceView>,
  /**
   * The groups the account belongs to.
   */
  groups: Array<GroupView>,
  /**
   * Readable sessions, newest first.
   */
  sessions: Array<SessionView>,
  /**
   * The data types, the server's descriptions over the built-in table.
   */
  dataTypes: Array<TypeView>,
  /**
   * End of the newest readable resource in the last 400 days (else of all time), to
   * anchor the "last day"/"last week" presets.
   */
  newestDataMs: number | null,
};

/**
 * One value column of one type key: what a chart shows.
 */
export type ChannelView = {
  /**
   * Type key (`9`, `13:100`).
   */
  key: string,
  /**
   * Type code.
   */
  code: number,
  /**
   * Data-source id.
   */
  dsi: number,
  /**
   * Value column, 1-based.
   */
  field: number,
  /**
   * Type abbreviation.
   */
  shortName: string,
  /**
   * Type name, with the column's name for types of several columns.
   */
  name: string,
  /**
   * Unit symbol.
   */
  unit: string,
  /**
   * Label to show (`SOG`, `SOG (src 100)`, `HR heart rate`).
   */
  label: string,
};

/**
 * Downsampled series and tracks of the loaded data over a range.
 */
export type DataView = {
  /**
   * Start, ms.
   */
  from: number,
  /**
   * End, ms.
   */
  to: number,
  /**
   * One per device, type key and value column (position excluded).
   */
  series: Array<SeriesView>,
  /**
   * One per device with positions.
   */
  tracks: Array<TrackView>,
};

/**
 * A demo account, shown in the UI so anyone can try the app offline.
 */
export type DemoUser = {
  /**
   * Full name.
   */
  name: string,
  /**
   * Sign-in e-mail (the old API).
   */
  email: string,
  /**
   * Sign-in name at the demo's Riot server.
   */
  username: string,
  /**
   * Sign-in password (a public demo password).
   */
  password: string,
  /**
   * What the account is for.
   */
  role: string,
};

/**
 * A device the account can read.
 */
export type DeviceView = {
  /**
   * Serial number.
   */
  serial: string,
  /**
   * Its name (the serial when the account does not own it and no name is known).
   */
  name: string,
  /**
   * Whether the account owns it.
   */
  owned: boolean,
  /**
   * For a device shared with the account: the windows through which it is readable.
   */
  sharedWindows: Array<WindowView>,
  /**
   * On a Riot server: the device's data access windows (data is readable only inside
   * one, even for its owner), oldest first. Empty on the old API.
   */
  accessWindows: Array<AccessWindowView>,
};

/**
 * What an error is, in a word the page can switch on.
 */
export type ErrorKind = "cancelled" | "invalid_callback" | "sign_in_mix_up" | "unreachable" | "timeout" | "token_rejected" | "keychain_unavailable" | "saved_sign_in_unreadable" | "saved_for_another_server" | "config" | "server" | "invalid_response" | "sign_in_refused" | "signed_out" | "refused" | "nothing_loaded" | "no_such_tile" | "map_offline" | "io" | "unreadable_file" | "accounts" | "live_stopped" | "internal";

/**
 * The file formats of an export.
 */
export type ExportFormat = "gpx" | "csv";

/**
 * A window that could not be fetched.
 */
export type FailedChunk = {
  /**
   * Window start.
   */
  start: number,
  /**
   * Window end.
   */
  end: number,
  /**
   * Why.
   */
  error: AppError,
};

/**
 * A value column of a data type.
 */
export type FieldView = {
  /**
   * What it holds.
   */
  name: string,
  /**
   * Unit symbol, empty when dimensionless.
   */
  unit: string,
};

/**
 * A group.
 */
export type GroupView = {
  /**
   * Group id.
   */
  id: number,
  /**
   * Name.
   */
  name: string,
  /**
   * Hidden from listings meant for others.
   */
  hidden: boolean,
};

/**
 * One newest value.
 */
export type LatestValue = {
  /**
   * What it is.
   */
  channel: ChannelView,
  /**
   * The value.
   */
  value: number,
  /**
   * When it was recorded, ms.
   */
  time: number,
};

/**
 * A device's newest values.
 */
export type LatestView = {
  /**
   * Device serial.
   */
  serial: string,
  /**
   * Device name.
   */
  deviceName: string,
  /**
   * One per type and value column.
   */
  values: Array<LatestValue>,
};

export type Leg = { kind: LegKind, startMs: number, endMs: number,
  /**
   * Average speed made good towards (upwind) or away from (downwind) the wind, knots.
   */
  vmg: number | null,
  /**
   * Metres made good towards or away from the wind.
   */
  madeGoodM: number | null,
};

export type LegKind = "upwind" | "downwind";

/**
 * Running totals of a feed.
 */
export type LiveCounts = {
  /**
   * Samples that came over the socket and were new.
   */
  received: number,
  /**
   * Samples fetched from `resources/data` to fill the gap a reconnect left.
   */
  gap_filled: number,
  /**
   * Samples that came over the socket at or before the newest time already held for
   * their channel (a sample the gap-fill brought too, or a repeat): dropped.
   */
  duplicates: number,
  /**
   * Frames (or parts of frames) of devices not followed: dropped.
   */
  foreign_frames: number,
  /**
   * Frames that could not be read: skipped, the connection kept.
   */
  bad_frames: number,
  /**
   * Times the feed went to reconnect.
   */
  reconnects: number,
  /**
   * Samples that left the window (older than `keep`, or over a channel's cap).
   */
  dropped_old: number,
  /**
   * Samples that never reached the page because it fell too far behind (latest wins).
   */
  skipped_for_page: number,
};

/**
 * A device of a live view, as the page labels it.
 */
export type LiveDevice = { serial: string, name: string, };

/**
 * New samples of one channel, in the app's units (as `telltale-data` decodes them).
 */
export type LiveSamples = { serial: string,
  /**
   * The type code (1 = position, 9 = SOG, ...).
   */
  code: number,
  /**
   * The data-source id (0 for the primary sensor).
   */
  dsi: number,
  /**
   * Sample times, ms since the epoch, strictly ascending.
   */
  t: Array<number>,
  /**
   * Value columns parallel to `t` (`fields[0]` is the API's `"1"`); a missing value is
   * NaN (`null` in JSON).
   */
  fields: Array<Array<number | null>>,
};

/**
 * The answer to [`LiveFeeds::start`].
 */
export type LiveStarted = {
  /**
   * Names this feed in `next` and `stop`; a stale page's calls name an old one.
   */
  id: number, devices: Array<LiveDevice>,
  /**
   * How much of the newest data is kept, ms.
   */
  keep_ms: number,
};

/**
 * The connection's state.
 */
export type LiveStatus = { "state": "connecting", attempt: number, } | { "state": "live", since_ms: number, } | { "state": "reconnecting", in_ms: number, reason: string, } | { "state": "stopped", reason: string, sign_in_again: boolean, };

/**
 * One answer of the long poll.
 */
export type LiveUpdate = {
  /**
   * The feed's change counter; pass it as `after` to the next call.
   */
  seq: number,
  /**
   * The connection's state now.
   */
  status: LiveStatus,
  /**
   * Samples that arrived after `after`, per channel in strictly ascending time.
   */
  samples: Array<LiveSamples>,
  /**
   * Followed devices with no sample for `quiet_after`.
   */
  quiet: Array<QuietDevice>,
  /**
   * Running totals since the feed started.
   */
  counts: LiveCounts,
  /**
   * Notes added after `after` (gap-fill failures, unreadable frames, refused servers).
   */
  notes: Array<string>,
};

/**
 * Progress of a load, sent after every chunk and before every retry.
 */
export type LoadProgress = {
  /**
   * Which load this is about.
   */
  loadId: number,
  /**
   * Chunks finished (from the cache or fetched).
   */
  chunksDone: number,
  /**
   * Chunks in the load.
   */
  chunksTotal: number,
  /**
   * Chunks that failed for good.
   */
  chunksFailed: number,
  /**
   * Bytes downloaded so far.
   */
  bytes: number,
  /**
   * Whether a chunk is waiting to be tried again.
   */
  retrying: boolean,
};

/**
 * What to load: devices over a time range.
 */
export type LoadRequest = {
  /**
   * Start, ms (inclusive).
   */
  from: number,
  /**
   * End, ms (inclusive).
   */
  to: number,
  /**
   * Device serials.
   */
  serials: Array<string>,
};

/**
 * The outcome of a load.
 */
export type LoadSummary = {
  /**
   * Which load this was.
   */
  loadId: number,
  /**
   * Start of the range.
   */
  from: number,
  /**
   * End of the range.
   */
  to: number,
  /**
   * The devices with the channels that came back.
   */
  devices: Array<LoadedDevice>,
  /**
   * Samples held (timestamps over all blocks).
   */
  samples: number,
  /**
   * Bytes downloaded by this load.
   */
  bytes: number,
  /**
   * Chunks (time windows) in the load.
   */
  chunksTotal: number,
  /**
   * Chunks taken from the cache, without a request.
   */
  chunksFromCache: number,
  /**
   * Chunks that still failed after retries, and devices whose part of a chunk could not
   * be read; what arrived is kept.
   */
  failed: Array<FailedChunk>,
  /**
   * Things to know that are not failures, in plain words (on a Riot server: a device
   * with no data access window over the range).
   */
  notes: Array<string>,
};

/**
 * A loaded device and its channels (position excluded: it is the track).
 */
export type LoadedDevice = {
  /**
   * Serial.
   */
  serial: string,
  /**
   * Name.
   */
  name: string,
  /**
   * One per type key and value column.
   */
  channels: Array<ChannelView>,
};

/**
 * One tack or gybe and what it cost.
 */
export type Maneuver = { kind: ManeuverKind,
  /**
   * When the true wind angle changed sign, Unix ms.
   */
  atMs: number, startMs: number, endMs: number,
  /**
   * The heading's turn from start to end, degrees (positive to starboard).
   */
  headingChange: number | null,
  /**
   * Speed over ground before it, knots.
   */
  entrySpeed: number | null,
  /**
   * Entry speed less the lowest speed during the turn and its recovery, knots.
   */
  speedLost: number | null,
  /**
   * Metres towards (upwind) or away from (downwind) the wind the boat would have made
   * at its VMG before the maneuver, less what it made, from start to the end of the
   * recovery. NaN when there is no wind or speed to tell.
   */
  distanceLostM: number | null,
  /**
   * The side it ended on: +1 starboard, -1 port.
   */
  toSide: number,
};

export type ManeuverKind = "tack" | "gybe";

/**
 * What the page needs to show the map: the tile address template it gives Leaflet, the
 * credit and the deepest zoom.
 */
export type MapTilesView = { url: string, attribution: string, maxZoom: number, };

/**
 * One sign-in method of a profile.
 */
export type MethodView = {
  /**
   * `code`, `implicit`, `password`, `token_api`, `riot_password` or `pasted_token` (sent
   * back with a sign-in).
   */
  id: SignInMethod,
  /**
   * The name shown.
   */
  label: string,
  /**
   * Kept only for old servers; the UI marks it "legacy — not recommended".
   */
  legacy: boolean,
  /**
   * Why it is legacy, in one line (empty for the recommended method).
   */
  legacyReason: string,
  /**
   * Whether the app asks for the user name and password in its own form (otherwise the
   * provider's page opens).
   */
  usesForm: boolean,
  /**
   * What the form asks for: `"password"` (user name and password) or `"token"`; `None`
   * when the provider's page opens.
   */
  asksFor: "password" | "token" | null,
};

export type PackedHeader = { from: number, to: number, series: Array<PackedSeries>, tracks: Array<PackedTrack>, };

export type PackedSeries = { serial: string, deviceName: string, channel: ChannelView, len: number, };

export type PackedTrack = { serial: string, deviceName: string, len: number, };

/**
 * The speeds sailed at one true wind angle (both sides together) in one wind band.
 */
export type PolarBin = {
  /**
   * The bin's middle angle, degrees 0..180.
   */
  twa: number,
  /**
   * Index into [`TWS_BANDS`].
   */
  band: number,
  /**
   * Seconds in the bin.
   */
  count: number,
  /**
   * Mean and 90th percentile of boat speed (through the water, else over ground), knots.
   */
  mean: number, p90: number,
  /**
   * Mean true wind speed of those seconds, knots.
   */
  tws: number,
  /**
   * The target polar's speed at this angle and `tws`, knots, once one is applied
   * ([`TargetPolar::apply`]); `None` without one or outside its table.
   */
  target: number | null,
};

/**
 * One provider profile as the "Add an account" pickers show it.
 */
export type ProfileView = {
  /**
   * The profile id (sent back with a sign-in).
   */
  id: string,
  /**
   * The name shown.
   */
  name: string,
  /**
   * `igtimi`, `iternio` or `token_api`.
   */
  kind: ProviderKind,
  /**
   * The server, as shown to the user (empty until the embedded simulator runs).
   */
  server: string,
  /**
   * Whether a sign-in can start now; when not, `problem` says what to configure.
   */
  usable: boolean,
  /**
   * Why the profile cannot be used, in plain words.
   */
  problem: string | null,
  /**
   * The methods offered, recommended first.
   */
  methods: Array<MethodView>,
};

/**
 * Which dialect a provider speaks.
 */
export type ProviderKind = "igtimi" | "iternio" | "token_api" | "riot";

/**
 * A followed device that has sent nothing for `quiet_after`.
 */
export type QuietDevice = { serial: string,
  /**
   * The time of its newest sample, ms since the epoch; `None` when none came yet.
   */
  since_ms: number | null,
};

/**
 * A block of one device's data.
 */
export type ResourceView = {
  /**
   * Resource id.
   */
  id: number,
  /**
   * Device serial.
   */
  serial: string,
  /**
   * Device name (the serial when unknown).
   */
  deviceName: string,
  /**
   * First sample.
   */
  start: number,
  /**
   * Last sample.
   */
  end: number,
  /**
   * Type codes held.
   */
  types: Array<number>,
  /**
   * Their short names, in the same order.
   */
  typeNames: Array<string>,
};

/**
 * What happened to the token at the provider on sign-out.
 */
export type RevocationOutcome = "revoked" | "not_supported" | "failed" | "kept_valid" | "rotated";

/**
 * Where an export was written.
 */
export type Saved = {
  /**
   * The file written.
   */
  path: string,
  /**
   * Rows (CSV) or track points (GPX) written.
   */
  rows: number,
};

/**
 * One chart line.
 */
export type SeriesView = {
  /**
   * Device serial.
   */
  serial: string,
  /**
   * Device name.
   */
  deviceName: string,
  /**
   * What the values are.
   */
  channel: ChannelView,
  /**
   * Times, ms.
   */
  t: Array<number>,
  /**
   * Values; `null` marks a gap where the line breaks.
   */
  v: Array<number | null>,
};

/**
 * A session (race, training).
 */
export type SessionView = {
  /**
   * Session id.
   */
  id: number,
  /**
   * Name.
   */
  name: string,
  /**
   * Start.
   */
  start: number,
  /**
   * End; `None` while it goes on.
   */
  end: number | null,
  /**
   * Owner's user id.
   */
  ownerId: number | null,
  /**
   * Owner's name, when the account can see that user.
   */
  ownerName: string | null,
};

/**
 * The payload of [`AppEvent::SignInFinished`]: `{summary, account, notice}` or `{error}`.
 */
export type SignInFinished = AccountSignedIn | {
  /**
   * Why.
   */
  error: AppError,
};

/**
 * How a person signs in to an account.
 */
export type SignInMethod = "code" | "implicit" | "password" | "token_api" | "riot_password" | "pasted_token";

/**
 * A target polar: boat speed by true wind angle (rows) and speed (columns).
 */
export type TargetPolar = {
  /**
   * True wind speeds of the columns, ascending, knots.
   */
  tws: Array<number>,
  /**
   * True wind angles of the rows, ascending, degrees.
   */
  twa: Array<number>,
  /**
   * `speed[row][column]`, knots; NaN where the table gives none.
   */
  speed: Array<Array<number | null>>,
};

/**
 * One device's track.
 */
export type TrackView = {
  /**
   * Device serial.
   */
  serial: string,
  /**
   * Device name.
   */
  deviceName: string,
  /**
   * Times, ms.
   */
  t: Array<number>,
  /**
   * Longitudes, degrees.
   */
  lon: Array<number>,
  /**
   * Latitudes, degrees.
   */
  lat: Array<number>,
  /**
   * Speed in knots: SOG within 5 s, else computed from the positions.
   */
  speed: Array<number | null>,
};

/**
 * A data type.
 */
export type TypeView = {
  /**
   * Code.
   */
  code: number,
  /**
   * Abbreviation (`SOG`).
   */
  shortName: string,
  /**
   * Full name.
   */
  name: string,
  /**
   * Value columns.
   */
  fields: Array<FieldView>,
};

/**
 * What to show: a range at a pixel width.
 */
export type ViewRequest = {
  /**
   * Start, ms.
   */
  from: number,
  /**
   * End, ms.
   */
  to: number,
  /**
   * Pixels across (100..=8192); at most 4 points per pixel per series come back.
   */
  width: number,
};

/**
 * Where a boat's true wind comes from.
 */
export type WindSource = "measured" | "derived" | "fleet" | "none";

/**
 * A data access window on a shared device.
 */
export type WindowView = {
  /**
   * First moment covered.
   */
  start: number,
  /**
   * Last moment covered.
   */
  end: number,
  /**
   * Who it grants to (`Kai Jensen`, `group Team Tern`).
   */
  recipient: string,
};

/** Every command the main window may invoke: what it takes and what it answers. */
export type Commands = {
  app_status: { args: Record<string, never>; answer: AccountsOverview };
  listen_app_events: { args: { channel: Channel<AppEvent> }; answer: null };
  restore_account: { args: Record<string, never>; answer: AccountView | null };
  start_sign_in: { args: { profile?: string | null; method?: string | null; via?: string | null }; answer: null };
  cancel_sign_in: { args: Record<string, never>; answer: null };
  refresh_account: { args: Record<string, never>; answer: AccountView };
  sign_out: { args: { key?: string | null; invalidate?: boolean | null }; answer: AccountSignedOut };
  sign_in_with_password: { args: { profile: string; method: string; username: string; password: string }; answer: AccountSignedIn };
  sign_in_with_token: { args: { profile: string; token: string }; answer: AccountSignedIn };
  switch_account: { args: { key: string }; answer: AccountView | null };
  browse_catalog: { args: Record<string, never>; answer: CatalogView };
  browse_resources: { args: { from: number; to: number }; answer: Array<ResourceView> };
  load_data: { args: { request: LoadRequest }; answer: LoadSummary };
  cancel_load: { args: Record<string, never>; answer: boolean };
  data_view: { args: { request: ViewRequest }; answer: ArrayBuffer };
  latest_values: { args: { serials: Array<string> }; answer: Array<LatestView> };
  analyse_data: { args: { from: number; to: number }; answer: AnalysisView };
  set_target_polar: { args: { text?: string | null }; answer: TargetPolar | null };
  export_data: { args: { format: ExportFormat; from: number; to: number }; answer: Saved | null };
  register_device: { args: { serial: string; name: string }; answer: null };
  open_data_window: { args: { serial: string; from: number; to: number }; answer: AccessWindowView };
  close_data_window: { args: { id: number }; answer: null };
  live_start: { args: { serials: Array<string> }; answer: LiveStarted };
  live_next: { args: { id: number; after: number }; answer: LiveUpdate };
  live_stop: { args: { id: number }; answer: boolean };
  map_tiles: { args: Record<string, never>; answer: MapTilesView };
  save_preference: { args: { name: string; value?: string | null }; answer: null };
};
