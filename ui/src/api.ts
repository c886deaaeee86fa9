// Typed access to Telltale's backend: the commands the main window may invoke, the
// events it listens to, and the shapes of what travels between them (issue 3 contract).
// Tokens never come this way; the window only sees account details and errors.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

/** The error kinds the backend uses. Others may appear later; treat them as plain errors. */
export const ERROR_KINDS = [
  "cancelled",
  "invalid_callback",
  "unreachable",
  "timeout",
  "token_rejected",
  "keychain_unavailable",
  "config",
  "server",
  "invalid_response",
  "sign_in_refused",
  "signed_out",
  "busy",
  "internal",
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
}

export interface AccountView {
  id: number;
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
}

export interface SignOutResult {
  revoked: "revoked" | "not_supported" | "failed";
  message: string;
}

/** Payload of `sign-in-finished`: an account (perhaps with a notice), or an error. */
export type SignInFinished =
  | { account: AccountView; notice: AppError | null }
  | { error: AppError };

function isRecord(value: unknown): value is Record<string, unknown> {
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
    typeof value.savedInKeychain === "boolean"
  );
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

async function call<T>(command: string): Promise<T> {
  try {
    return await invoke<T>(command);
  } catch (reason) {
    throw toAppError(reason);
  }
}

// Each wrapper rejects with an AppError (see `toAppError`).
export const appStatus = (): Promise<Overview> => call<Overview>("app_status");
export const restoreSession = (): Promise<AccountView | null> =>
  call<AccountView | null>("restore_session");
export const startSignIn = (): Promise<null> => call<null>("start_sign_in");
export const cancelSignIn = (): Promise<null> => call<null>("cancel_sign_in");
export const refreshAccount = (): Promise<AccountView> => call<AccountView>("refresh_account");
export const signOut = (): Promise<SignOutResult> => call<SignOutResult>("sign_out");

function readSignInFinished(payload: unknown): SignInFinished {
  if (isRecord(payload)) {
    if (isAppError(payload.error)) {
      return { error: payload.error };
    }
    if (isAccountView(payload.account)) {
      const notice = isAppError(payload.notice) ? payload.notice : null;
      return { account: payload.account, notice };
    }
  }
  return {
    error: { kind: "internal", message: "Telltale could not read the result of signing in." },
  };
}

export function onSignInFinished(handler: (result: SignInFinished) => void): Promise<UnlistenFn> {
  return listen<unknown>("sign-in-finished", (event) => handler(readSignInFinished(event.payload)));
}

export function onCallbackIgnored(handler: (notice: AppError) => void): Promise<UnlistenFn> {
  return listen<unknown>("callback-ignored", (event) => {
    const payload = event.payload;
    handler(
      isAppError(payload)
        ? payload
        : {
            kind: "invalid_callback",
            message: "A sign-in link arrived that Telltale did not ask for. Nothing changed.",
          },
    );
  });
}
