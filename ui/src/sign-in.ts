// Signing in: in the sign-in window or the system browser (which comes back as a deep link
// or to the loopback listener), or with Telltale's own form (a Riot server's user name and
// password or a pasted token, the old API's password grant or token API); cancelling; and
// the backend's word that a sign-in finished. The rest of the window (main.ts) is the host.

import * as api from "./api";
import type { AccountSummary, AccountView, AppError, SignInFinished } from "./api";
import type { AccountsPanel } from "./accounts";
import type { BrowseLoader } from "./browse-loader";
import { byId } from "./dom";
import { accountUserPart } from "./profiles";
import type { Screen } from "./view";

/** What a sign-in shows and changes in the rest of the window. */
export interface SignInHost {
  readonly screen: Screen;
  readonly panel: AccountsPanel;
  readonly browse: BrowseLoader;
  showError(error: AppError): void;
  showNotice(kind: string, text: string): void;
  clearMessage(): void;
  showSignedIn(account: AccountView): void;
  refreshAccounts(): Promise<void>;
}

export class SignIn {
  /** "Sign in with your browser", its loopback variant, and the waiting view's line
   *  saying where to finish. */
  readonly browser = byId("sign-in-browser", HTMLButtonElement);
  readonly loopback = byId("sign-in-loopback", HTMLButtonElement);
  private readonly where = byId("signing-in-where", HTMLElement);
  /** True while `start_sign_in` runs; the finishing event may (rarely) beat its reply. */
  private starting = false;
  private finishedWhileStarting = false;

  constructor(private readonly host: SignInHost) {}

  /** Opens the provider's sign-in page `via` the sign-in window or the system browser;
   *  the result comes as [finished]. */
  async start(via: api.SignInVia): Promise<void> {
    const { screen, panel } = this.host;
    const buttons = { window: screen.signIn, browser: this.browser, loopback: this.loopback };
    const button = buttons[via];
    const others = Object.values(buttons).filter((b) => b !== button);
    this.host.clearMessage();
    this.starting = true;
    this.finishedWhileStarting = false;
    const working = via === "window" ? "Opening the sign-in window…" : "Opening your browser…";
    screen.setPending(button, true, working);
    others.forEach((other) => screen.setPending(other, true));
    this.where.textContent =
      via === "window"
        ? "Finish signing in in the sign-in window…"
        : "Finish signing in in your browser; Telltale continues when it comes back…";
    const choice = panel.choice();
    try {
      await api.startSignIn(via, choice?.profile.id ?? null, choice?.method.id ?? null);
      if (!this.finishedWhileStarting) {
        screen.show("signing-in");
      }
    } catch (reason) {
      this.host.showError(api.toAppError(reason));
    } finally {
      this.starting = false;
      screen.setPending(button, false);
      others.forEach((other) => screen.setPending(other, false));
      screen.settleFocus(button);
    }
  }

  /** Cancels the sign-in that is waiting; the view changes when [finished] reports it. */
  async cancel(): Promise<void> {
    const { screen } = this.host;
    screen.setPending(screen.cancelSignIn, true, "Cancelling…");
    try {
      await api.cancelSignIn();
    } catch (reason) {
      this.host.showError(api.toAppError(reason));
      await this.resync();
    } finally {
      screen.setPending(screen.cancelSignIn, false);
      screen.settleFocus(screen.cancelSignIn);
    }
  }

  /** The backend's `sign-in-finished`: signed in, or back to the signed-out view with why. */
  finished(result: SignInFinished): void {
    const { screen } = this.host;
    if (this.starting) {
      this.finishedWhileStarting = true;
    }
    if ("error" in result) {
      screen.show("signed-out");
      this.host.showError(result.error);
      return;
    }
    this.host.browse.leave();
    this.host.showSignedIn(result.account);
    if (result.notice) {
      this.host.showNotice(result.notice.kind, result.notice.message);
    } else {
      this.host.clearMessage();
    }
    void this.host.refreshAccounts();
  }

  /** Signs in with the form. The fields are disabled while it runs; the password and
   *  token fields are cleared whatever happens. */
  async withForm(): Promise<void> {
    const { screen, panel } = this.host;
    const choice = panel.choice();
    if (choice === null) {
      return;
    }
    this.host.clearMessage();
    panel.showFormError(null);
    screen.setPending(panel.submit, true, "Signing in…");
    panel.fields.disabled = true;
    const username = panel.username.value.trim();
    const password = panel.password.value;
    const token = panel.token.value.trim();
    try {
      const result =
        choice.method.asksFor === "token"
          ? await api.signInWithToken(choice.profile.id, token)
          : await api.signInWithPassword(choice.profile.id, choice.method.id, username, password);
      // The next "Add an account" starts with an empty form.
      panel.form.reset();
      panel.clearSecrets(true);
      this.host.browse.leave();
      this.host.showSignedIn(result.account);
      if (result.notice) {
        this.host.showNotice(result.notice.kind, result.notice.message);
      }
      await this.host.refreshAccounts();
    } catch (reason) {
      // Said next to the form, where the user is looking (the page may be scrolled far
      // below the message area).
      panel.showFormError(api.toAppError(reason));
    } finally {
      panel.clearSecrets();
      panel.fields.disabled = false;
      screen.setPending(panel.submit, false);
      screen.settleFocus(choice.method.asksFor === "token" ? panel.token : panel.password);
    }
  }

  /** Prepares signing in again to a listed account whose sign-in ended. */
  again(account: AccountSummary): void {
    const { panel } = this.host;
    panel.pick(account.profileId, account.method);
    // A Riot server signs in by user name (the account key's user part); the old API by
    // email.
    const user = panel.isRiot(account.profileId)
      ? accountUserPart(account.key, account.profileId)
      : account.email;
    if (user) {
      panel.username.value = user;
    }
    this.host.screen.show("signed-out");
    this.host.showNotice("info", `Sign in again to ${account.name} at ${account.profileName}.`);
  }

  /** Asks the backend where things stand; used when cancelling fails. */
  private async resync(): Promise<void> {
    try {
      const overview = await api.appStatus();
      if (overview.signingIn) {
        return;
      }
      if (overview.account) {
        this.host.showSignedIn(overview.account);
      } else {
        this.host.screen.show("signed-out");
      }
    } catch {
      // Keep the view; the cancel error is already shown.
    }
  }
}
