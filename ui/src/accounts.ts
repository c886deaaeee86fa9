// The account list (switch, sign out of one, "sign in again") and the "Add an account"
// pickers: provider, method (legacy ones marked, with the reason), and our own form for the
// methods that take a user name and password. Backend data goes in as text only.

import type { AccountSummary, MethodView, Overview, ProfileView } from "./api";
import { byId, textElement } from "./dom";

/** What the list's buttons ask for. */
export interface AccountActions {
  switchTo(key: string): void;
  signOutOf(key: string, name: string): void;
  signInAgain(account: AccountSummary): void;
}

/** How an account signed in, in words, for the legacy methods. */
const LEGACY_NAMES: Record<string, string> = {
  implicit: "the implicit grant",
  password: "a password",
  token_api: "the token API",
};

/** The picked provider and method. */
export interface Choice {
  profile: ProfileView;
  method: MethodView;
}

const SOON_TEXT = "Your sign-in ends soon. Sign in again to keep using this account.";

/** "21 June 2026, 14:05" in the user's locale, from Unix seconds. */
export function formatExpiry(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString(undefined, {
    dateStyle: "long",
    timeStyle: "short",
  });
}

export class AccountsPanel {
  readonly section = byId("accounts", HTMLElement);
  readonly list = byId("account-list", HTMLUListElement);
  readonly profilePicker = byId("add-profile", HTMLSelectElement);
  readonly methodPicker = byId("add-method", HTMLSelectElement);
  readonly methodReason = byId("method-reason", HTMLElement);
  readonly profileProblem = byId("profile-problem", HTMLElement);
  readonly redirectActions = byId("redirect-actions", HTMLElement);
  readonly signIn = byId("sign-in", HTMLButtonElement);
  readonly signInBrowser = byId("sign-in-browser", HTMLButtonElement);
  readonly signInLoopback = byId("sign-in-loopback", HTMLButtonElement);
  readonly form = byId("credentials", HTMLFormElement);
  readonly username = byId("credentials-username", HTMLInputElement);
  readonly password = byId("credentials-password", HTMLInputElement);
  readonly submit = byId("credentials-submit", HTMLButtonElement);
  readonly heading = byId("signed-out-heading", HTMLElement);
  private readonly expiryField = byId("account-expiry-field", HTMLElement);
  private readonly expiry = byId("account-expiry", HTMLElement);
  private readonly expiryPrompt = byId("expiry-prompt", HTMLElement);
  private profiles: ProfileView[] = [];
  accounts: AccountSummary[] = [];

  constructor(private readonly actions: AccountActions) {
    this.profilePicker.addEventListener("change", () => this.fillMethods(null));
    this.methodPicker.addEventListener("change", () => this.showMethod());
  }

  /** Redraws the list and, the first time, the pickers. */
  render(overview: Overview): void {
    this.accounts = overview.accounts;
    if (this.profiles.length === 0) {
      this.profiles = overview.profiles;
      this.fillProfiles(overview.defaultProfile);
    }
    this.heading.textContent = this.accounts.some((account) => !account.signedOut)
      ? "Add an account"
      : "Not signed in";
    this.list.replaceChildren(...this.accounts.map((account) => this.item(account)));
    this.section.hidden = this.accounts.length === 0;
    this.renderExpiry(this.accounts.find((account) => account.active) ?? null);
  }

  /** The picked provider and method, if any. */
  choice(): Choice | null {
    const profile = this.profiles.find((p) => p.id === this.profilePicker.value);
    const method = profile?.methods.find((m) => m.id === this.methodPicker.value);
    return profile && method ? { profile, method } : null;
  }

  /** Picks `profile` and `method` (e.g. to sign in again to an account). */
  pick(profile: string, method: string): void {
    if (this.profiles.some((p) => p.id === profile)) {
      this.profilePicker.value = profile;
      this.fillMethods(method);
    }
  }

  private fillProfiles(selected: string): void {
    this.profilePicker.replaceChildren(
      ...this.profiles.map((profile) => {
        const option = textElement("option", profile.name);
        option.value = profile.id;
        return option;
      }),
    );
    this.profilePicker.value = selected;
    this.fillMethods(null);
  }

  private fillMethods(selected: string | null): void {
    const profile = this.profiles.find((p) => p.id === this.profilePicker.value);
    const methods = profile?.methods ?? [];
    this.methodPicker.replaceChildren(
      ...methods.map((method) => {
        const text = method.legacy ? `${method.label} (legacy — not recommended)` : method.label;
        const option = textElement("option", text);
        option.value = method.id;
        return option;
      }),
    );
    if (selected && methods.some((m) => m.id === selected)) {
      this.methodPicker.value = selected;
    }
    this.showMethod();
  }

  /** Shows the provider's buttons or our form, and why a legacy method is not recommended. */
  private showMethod(): void {
    const choice = this.choice();
    const usesForm = choice?.method.usesForm ?? false;
    this.form.hidden = !usesForm;
    this.redirectActions.hidden = usesForm;
    this.methodReason.textContent = choice?.method.legacy
      ? `Not recommended: ${choice.method.legacyReason}.`
      : "Recommended: you sign in on the provider's own page.";
    // The system browser (deep link or loopback) only for the code sign-in with PKCE, at an
    // Igtimi-type server: without PKCE the answer must stay in the sign-in window (the
    // backend refuses the rest too).
    const withPkce = choice?.method.id === "code" && choice.profile.kind === "igtimi";
    this.signInBrowser.hidden = !withPkce;
    this.signInLoopback.hidden = !withPkce;
    this.signIn.textContent =
      choice && choice.profile.kind !== "igtimi"
        ? `Sign in to ${choice.profile.name}`
        : "Sign in to Igtimi";
    const problem = choice?.profile.problem ?? null;
    this.profileProblem.hidden = problem === null;
    this.profileProblem.textContent = problem ?? "";
  }

  private item(account: AccountSummary): HTMLLIElement {
    const item = document.createElement("li");
    item.className = "account-item";
    item.dataset.key = account.key;
    item.dataset.active = String(account.active);
    const title = textElement("strong", account.name);
    const where = textElement("span", ` · ${account.profileName}`, "muted");
    item.append(title, where);
    if (account.email && account.email !== account.name) {
      item.append(textElement("span", ` · ${account.email}`, "muted"));
    }
    if (account.active) {
      item.append(textElement("span", " (active)", "account-active"));
    }
    if (account.legacy) {
      const how = LEGACY_NAMES[account.method] ?? account.method;
      item.append(textElement("span", ` · signed in with ${how} (legacy)`, "muted"));
    }
    if (account.tokenExpiresAt !== null && !account.signedOut) {
      item.append(
        textElement("p", `Sign-in valid until ${formatExpiry(account.tokenExpiresAt)}`, "hint"),
      );
    }
    if (account.signedOut) {
      item.append(
        textElement("p", "Signed out: its sign-in expired or was refused. Sign in again.", "note"),
      );
    } else if (account.expiresSoon) {
      item.append(textElement("p", SOON_TEXT, "note"));
    }
    const actions = document.createElement("div");
    actions.className = "actions";
    const button = (label: string, name: string, run: () => void): void => {
      const element = textElement("button", label, "button button-secondary");
      element.type = "button";
      element.dataset.action = name;
      element.setAttribute("aria-label", `${label}: ${account.name}, ${account.profileName}`);
      element.addEventListener("click", run);
      actions.append(element);
    };
    if (account.signedOut || account.expiresSoon) {
      button("Sign in again", "sign-in-again", () => this.actions.signInAgain(account));
    }
    if (!account.signedOut) {
      const label = account.active ? "Open" : "Switch to";
      button(label, "switch", () => this.actions.switchTo(account.key));
    }
    button("Sign out", "sign-out", () => this.actions.signOutOf(account.key, account.name));
    item.append(actions);
    return item;
  }

  private renderExpiry(active: AccountSummary | null): void {
    const at = active?.tokenExpiresAt ?? null;
    this.expiryField.hidden = at === null;
    this.expiry.textContent = at === null ? "" : formatExpiry(at);
    this.expiryPrompt.hidden = !active?.expiresSoon;
    this.expiryPrompt.textContent = active?.expiresSoon ? SOON_TEXT : "";
  }
}
