// Telltale's main window: startup, the messages, the account actions (refresh, switch, sign
// out, retry) and the wiring of buttons and backend events. Signing in is in sign-in.ts.

import * as api from "./api";
import type { AccountView, AppError } from "./api";
import { AccountsPanel } from "./accounts";
import type { AccountSummary } from "./api";
import { BrowseLoader } from "./browse-loader";
import { byId } from "./dom";
import { LAYOUT_KEY, loadPref } from "./prefs";
import { accountUserPart, serverHost } from "./profiles";
import { SignIn } from "./sign-in";
import { SignOutDialog } from "./sign-out-dialog";
import { applySizes, parseSizes } from "./split";
import { applyStoredTheme, wireThemePicker } from "./theme";
import { Screen } from "./view";

// The UI preferences at once, on <html> (there before the body is): the page is drawn with the
// chosen theme and pane sizes as soon as this script runs, usually before its first paint.
applyStoredTheme();
applySizes(parseSizes(loadPref(LAYOUT_KEY)), document.documentElement.style);

/** After this long still starting, the start-up view shows its spinner. */
const SLOW_START_MS = 400;

/** What the Retry button runs again; null when the message offers no retry. */
type Retry = "restore" | "refresh";

let screen: Screen;
let signIn: SignIn;
let browse: BrowseLoader;
let panel: AccountsPanel;
let signOutDialog: SignOutDialog;
/** The account the signed-in view shows. */
let shownAccount: AccountView | null = null;
let retryAction: Retry | null = null;

// ---- messages -------------------------------------------------------------------------

/** Shows an error; `retry` names what Retry re-runs, offered only for passing failures. */
function showError(error: AppError, retry: Retry | null = null): void {
  retryAction = retry !== null && api.isRetryable(error) ? retry : null;
  // Closing the sign-in window or saying "Deny" is the user's own choice, not a fault.
  const tone = error.kind === "cancelled" ? "notice" : "error";
  screen.showMessage({ kind: error.kind, text: error.message, tone, retry: retryAction !== null });
}

function showNotice(kind: string, text: string): void {
  retryAction = null;
  screen.showMessage({ kind, text, tone: "notice" });
}

function clearMessage(): void {
  retryAction = null;
  screen.clearMessage();
}

// ---- views ----------------------------------------------------------------------------

function showSignedIn(account: AccountView): void {
  shownAccount = account;
  screen.renderAccount(account);
  screen.show("signed-in");
  browse.enter(browseKey(account));
}

/** Who the browse area shows: a Riot account's id is always 0, so its user name counts. */
function browseKey(account: AccountView): string {
  return `${account.server}\n${account.username ?? `#${account.id}`}`;
}

/**
 * How to sign out of a listed account: a Riot account asks first (forget here only, or also
 * invalidate the token at the server); null when the user cancelled. Other accounts sign
 * out at once, as before.
 */
async function askSignOut(
  summary: AccountSummary | undefined,
  account: AccountView | null,
): Promise<{ invalidate: boolean } | null> {
  const riot = summary ? panel.isRiot(summary.profileId) : account?.username != null;
  if (!riot) {
    return { invalidate: false };
  }
  const who =
    account?.username ??
    (summary ? accountUserPart(summary.key, summary.profileId) : null) ??
    summary?.name ??
    "this account";
  const server = account?.server ?? panel.profile(summary?.profileId ?? "")?.server ?? "";
  return signOutDialog.ask(who, serverHost(server) || server);
}

/** The browse area met a rejected or ended sign-in: back to the signed-out view. */
function browseSignedOut(error: AppError): void {
  screen.show("signed-out");
  showError(error);
}

/** Redraws the account list (and the active account's expiry) from the backend. */
async function refreshAccounts(): Promise<void> {
  try {
    const overview = await api.appStatus();
    screen.renderBanner(overview);
    panel.render(overview);
  } catch {
    // The list keeps its last state; the action's own outcome is already shown.
  }
}

/** Loads the saved sign-in. Used at startup and by Retry. */
async function restore(): Promise<void> {
  await restoreActive();
  await refreshAccounts();
}

async function restoreActive(): Promise<void> {
  try {
    const account = await api.restoreAccount();
    clearMessage();
    if (account) {
      showSignedIn(account);
    } else {
      screen.show("signed-out");
    }
  } catch (reason) {
    // token_rejected (dropped), keychain_unavailable and the rest: signed out, with the
    // reason; unreachable / timeout / server also offer Retry.
    screen.show("signed-out");
    showError(api.toAppError(reason), "restore");
  }
}

async function refresh(): Promise<void> {
  screen.setPending(screen.refreshAccount, true, "Refreshing…");
  screen.setPending(screen.signOut, true);
  try {
    const account = await api.refreshAccount();
    showSignedIn(account);
    showNotice("info", "Account details are up to date.");
  } catch (reason) {
    const error = api.toAppError(reason);
    if (error.kind === "token_rejected" || error.kind === "signed_out") {
      screen.show("signed-out");
      showError(error);
    } else {
      showError(error, "refresh");
    }
  } finally {
    screen.setPending(screen.refreshAccount, false);
    screen.setPending(screen.signOut, false);
    screen.settleFocus(screen.refreshAccount);
  }
}

async function signOut(): Promise<void> {
  const active = panel.accounts.find((account) => account.active);
  const choice = await askSignOut(active, shownAccount);
  if (choice === null) {
    screen.settleFocus(screen.signOut);
    return;
  }
  screen.setPending(screen.signOut, true, "Signing out…");
  screen.setPending(screen.refreshAccount, true);
  try {
    const result = await api.signOut(null, choice.invalidate);
    browse.leave();
    await restore();
    showNotice("info", result.message);
  } catch (reason) {
    showError(api.toAppError(reason));
  } finally {
    screen.setPending(screen.signOut, false);
    screen.setPending(screen.refreshAccount, false);
    screen.settleFocus(screen.signOut);
  }
}

async function switchTo(key: string): Promise<void> {
  clearMessage();
  try {
    const account = await api.switchAccount(key);
    browse.leave();
    if (account) {
      showSignedIn(account);
    } else {
      screen.show("signed-out");
    }
  } catch (reason) {
    showError(api.toAppError(reason));
  }
  await refreshAccounts();
}

async function signOutOf(key: string, name: string): Promise<void> {
  clearMessage();
  const summary = panel.accounts.find((account) => account.key === key);
  const wasActive = summary?.active === true;
  const choice = await askSignOut(summary, wasActive ? shownAccount : null);
  if (choice === null) {
    return;
  }
  try {
    const result = await api.signOut(key, choice.invalidate);
    if (wasActive) {
      browse.leave();
      await restoreActive();
    }
    showNotice("info", `${name}: ${result.message}`);
  } catch (reason) {
    showError(api.toAppError(reason));
  }
  await refreshAccounts();
}

async function retry(): Promise<void> {
  const action = retryAction;
  if (action === null) {
    return;
  }
  screen.setPending(screen.retry, true, "Retrying…");
  if (action === "restore") {
    await restore();
  } else {
    await refresh();
  }
  screen.settleFocus(screen.retry);
}

function dismissMessage(): void {
  clearMessage();
  screen.focusView();
}

// ---- startup --------------------------------------------------------------------------

function wire(): void {
  const on = (button: HTMLButtonElement, action: () => void | Promise<void>): void => {
    button.addEventListener("click", () => void action());
  };
  on(screen.signIn, () => signIn.start("window"));
  on(signIn.browser, () => signIn.start("browser"));
  on(signIn.loopback, () => signIn.start("loopback"));
  on(screen.cancelSignIn, () => signIn.cancel());
  on(screen.refreshAccount, refresh);
  on(screen.signOut, signOut);
  on(screen.retry, retry);
  on(byId("add-another", HTMLButtonElement), () => {
    clearMessage();
    panel.showFormError(null);
    screen.show("signed-out");
  });
  panel.form.addEventListener("submit", (event) => {
    event.preventDefault();
    void signIn.withForm();
  });
  on(screen.dismissMessage, dismissMessage);
  screen.message.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      dismissMessage();
    }
  });
}

/**
 * Gives the header's mark its image, and shows the theme picker, once the first frame is on
 * screen. An image in the first frame held that frame back by about 100 ms where WebKit
 * paints through software GL (bench/README.md, "The first frame"), and a native select
 * draws curves; both boxes are reserved, so nothing moves.
 */
function showMarkAfterFirstFrame(): void {
  const mark = document.getElementById("mark");
  const src = mark?.dataset.src;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (mark instanceof HTMLImageElement && src && !mark.hasAttribute("src")) {
        mark.setAttribute("src", src);
      }
      document.body.dataset.painted = "";
    }),
  );
}

async function start(): Promise<void> {
  showMarkAfterFirstFrame();
  screen = new Screen();
  wireThemePicker(byId("theme-choice", HTMLSelectElement));
  browse = new BrowseLoader({
    signedOut: browseSignedOut,
    failed: (error) => showError(error),
  });
  signOutDialog = new SignOutDialog();
  panel = new AccountsPanel({
    switchTo: (key) => void switchTo(key),
    signOutOf: (key, name) => void signOutOf(key, name),
    signInAgain: (account) => signIn.again(account),
  });
  signIn = new SignIn({
    screen,
    panel,
    browse,
    showError: (error) => showError(error),
    showNotice,
    clearMessage,
    showSignedIn,
    refreshAccounts,
  });
  screen.onViewChange = (view) => {
    if (view !== "signed-in") {
      shownAccount = null;
      browse.leave();
    }
  };
  document.body.dataset.view = "loading";
  // The start-up spinner appears only if the start takes a while (see styles.css).
  window.setTimeout(() => {
    document.body.dataset.slowStart = "";
  }, SLOW_START_MS);
  wire();

  // Listen first; what the backend said before the page listened arrives now. (The browse
  // area listens for its load progress itself, once loaded.)
  await api.listenAppEvents({
    signInFinished: (result) => signIn.finished(result),
    // Nothing changed: keep the view, just say so.
    callbackIgnored: (notice) => showNotice(notice.kind, notice.message),
  });

  let overview: api.Overview;
  try {
    overview = await api.appStatus();
  } catch (reason) {
    // `config`: the settings are broken; show why and offer nothing else.
    screen.showBroken(api.toAppError(reason).message);
    return;
  }
  screen.renderBanner(overview);
  panel.render(overview);
  if (overview.notice) {
    showNotice("info", overview.notice);
  }

  if (overview.signingIn) {
    // The window was reloaded while a sign-in window is open: wait for its result.
    screen.show("signing-in");
  } else if (overview.account) {
    // The window was reloaded while signed in: the backend already holds the account.
    showSignedIn(overview.account);
  } else {
    await restore();
  }
}

function run(): void {
  start().catch((reason: unknown) => {
    try {
      screen.showBroken(api.toAppError(reason).message);
    } catch {
      // The page itself is incomplete; nothing more can be shown.
      document.body.dataset.view = "broken";
    }
  });
}

// The page loads this script `async`, so that WebKit paints the page without waiting for
// it (bench/README.md, "The first frame"). It may then run before the body is parsed.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", run, { once: true });
} else {
  run();
}
