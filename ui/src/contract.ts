// Reading what the backend answers: checks the shapes the UI relies on and fills in what an
// older backend leaves out (a Riot account's user name, a method's `asksFor`, a catalog's
// dialect and data access windows, a load's notes), so the views never meet `undefined`.
// Pure (no DOM, no Tauri): tested by scripts/helpers.test.mjs.

import type {
  AccessWindowView,
  AccountSignedIn,
  AccountView,
  AppError,
  CatalogView,
  DemoUser,
  DeviceView,
  FailedChunk,
  LoadSummary,
  MethodView,
  Overview,
  ProfileView,
  RevocationOutcome,
  SignOutResult,
} from "./api";

const REVOKED: readonly RevocationOutcome[] = [
  "revoked",
  "not_supported",
  "failed",
  "kept_valid",
  "rotated",
];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function isAppError(value: unknown): value is AppError {
  return isRecord(value) && typeof value.kind === "string" && typeof value.message === "string";
}

export function isAccountView(value: unknown): value is AccountView {
  return (
    isRecord(value) &&
    typeof value.id === "number" &&
    typeof value.name === "string" &&
    typeof value.server === "string" &&
    typeof value.savedInKeychain === "boolean" &&
    (value.username === undefined || value.username === null || typeof value.username === "string")
  );
}

/** What a command rejects with when its answer cannot be read. */
export function unreadable(what: string): AppError {
  return {
    kind: "invalid_response",
    message: `Telltale could not read ${what} from its backend.`,
  };
}

export const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
export const finite = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** An account view with `username` always present (null on the old API). */
export function readAccountView(value: unknown): AccountView {
  if (!isAccountView(value)) {
    throw unreadable("the account");
  }
  const username = text(value.username);
  return { ...value, username: username && username.trim() !== "" ? username : null };
}

/** An account view, or null (nobody signed in). */
export function readOptionalAccount(value: unknown): AccountView | null {
  return value === null || value === undefined ? null : readAccountView(value);
}

function readMethod(value: unknown): MethodView {
  const method = (isRecord(value) ? value : {}) as Partial<MethodView> & Record<string, unknown>;
  const usesForm = method.usesForm === true;
  const asksFor =
    method.asksFor === "password" || method.asksFor === "token"
      ? method.asksFor
      : usesForm
        ? "password"
        : null;
  return {
    id: text(method.id) ?? "",
    label: text(method.label) ?? text(method.id) ?? "",
    legacy: method.legacy === true,
    legacyReason: text(method.legacyReason) ?? "",
    usesForm,
    asksFor,
  };
}

function readProfile(value: unknown): ProfileView | null {
  if (!isRecord(value) || typeof value.id !== "string") {
    return null;
  }
  const kinds: readonly ProfileView["kind"][] = ["igtimi", "iternio", "token_api", "riot"];
  const kind = kinds.find((known) => known === value.kind) ?? "igtimi";
  return {
    id: value.id,
    name: text(value.name) ?? value.id,
    kind,
    server: text(value.server) ?? "",
    usable: value.usable !== false,
    problem: text(value.problem),
    methods: list(value.methods).map(readMethod).filter((method) => method.id !== ""),
  };
}

function readDemoUser(value: unknown): DemoUser | null {
  if (!isRecord(value)) {
    return null;
  }
  const user: DemoUser = {
    name: text(value.name) ?? "",
    email: text(value.email) ?? "",
    password: text(value.password) ?? "",
    role: text(value.role) ?? "",
  };
  const username = text(value.username);
  if (username && username.trim() !== "") {
    user.username = username;
  }
  return user;
}

/** `app_status`: profiles with their methods' `asksFor`, demo users with their optional
 * Riot user name, the account with its `username`. */
export function readOverview(value: unknown): Overview {
  if (!isRecord(value) || !Array.isArray(value.profiles) || !Array.isArray(value.accounts)) {
    throw unreadable("the app's status");
  }
  const overview = value as unknown as Overview;
  return {
    ...overview,
    mode: value.mode === "demo" ? "demo" : "igtimi",
    server: text(value.server) ?? "",
    demoUsers: list(value.demoUsers)
      .map(readDemoUser)
      .filter((user): user is DemoUser => user !== null),
    profiles: value.profiles
      .map(readProfile)
      .filter((profile): profile is ProfileView => profile !== null),
    account: readOptionalAccount(value.account),
    notice: text(value.notice),
  };
}

export function readAccountSignedIn(value: unknown): AccountSignedIn {
  if (!isRecord(value) || !isRecord(value.summary)) {
    throw unreadable("the new account");
  }
  const signedIn = value as unknown as AccountSignedIn;
  return {
    ...signedIn,
    account: readAccountView(value.account),
    notice: isAppError(value.notice) ? value.notice : null,
  };
}

/** `sign_out`: an outcome the UI knows (an unknown one reads as "failed": the message still
 * says what happened). */
export function readSignOut(value: unknown): SignOutResult {
  if (!isRecord(value) || typeof value.message !== "string") {
    throw unreadable("the result of signing out");
  }
  const revoked = REVOKED.find((known) => known === value.revoked) ?? "failed";
  const result: SignOutResult = { revoked, message: value.message };
  if (typeof value.key === "string") {
    result.key = value.key;
  }
  return result;
}

function readAccessWindow(value: unknown, serial: string): AccessWindowView | null {
  if (!isRecord(value) || !finite(value.id) || !finite(value.start) || !finite(value.end)) {
    return null;
  }
  return { id: value.id, serial: text(value.serial) ?? serial, start: value.start, end: value.end };
}

/** `browse_catalog`: the dialect (the old API unless it says Riot) and every device's data
 * access windows (oldest first). */
export function readCatalog(value: unknown): CatalogView {
  if (!isRecord(value) || !Array.isArray(value.devices)) {
    throw unreadable("your devices");
  }
  const catalog = value as unknown as CatalogView;
  const devices = value.devices.filter(isRecord).map((device): DeviceView => {
    const serial = text(device.serial) ?? "";
    return {
      ...(device as unknown as DeviceView),
      serial,
      name: text(device.name) ?? serial,
      owned: device.owned !== false,
      sharedWindows: list(device.sharedWindows) as DeviceView["sharedWindows"],
      accessWindows: list(device.accessWindows)
        .map((window) => readAccessWindow(window, serial))
        .filter((window): window is AccessWindowView => window !== null)
        .sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id),
    };
  });
  return {
    ...catalog,
    dialect: value.dialect === "riot" ? "riot" : "igtimi",
    devices,
    groups: list(value.groups) as CatalogView["groups"],
    sessions: list(value.sessions) as CatalogView["sessions"],
    dataTypes: list(value.dataTypes) as CatalogView["dataTypes"],
    newestDataMs: finite(value.newestDataMs) ? value.newestDataMs : null,
  };
}

/** `load_data`: with `notes` (plain sentences) and `failed` always present. */
export function readLoadSummary(value: unknown): LoadSummary {
  if (!isRecord(value) || !finite(value.from) || !finite(value.to)) {
    throw unreadable("the loaded data");
  }
  const summary = value as unknown as LoadSummary;
  return {
    ...summary,
    devices: list(value.devices) as LoadSummary["devices"],
    failed: list(value.failed).filter(
      (chunk): chunk is FailedChunk => isRecord(chunk) && isAppError(chunk.error),
    ),
    notes: list(value.notes).filter(
      (note): note is string => typeof note === "string" && note.trim() !== "",
    ),
  };
}
