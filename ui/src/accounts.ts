// The account list (switch, sign out of one, "sign in again") and the "Add an account"
// pickers: where (Riot servers, the old API for compatible servers, the demo; one line
// each), how (legacy methods marked, with the reason), and our own form for the methods
// that take a user name and password or a pasted token. Backend data goes in as text only.

import type { AccountSummary, MethodView, Overview, ProfileView } from "./api";
import { byId, textElement } from "./dom";
import {
  groupProfiles,
  isClosedIgtimiCloud,
  passwordHint,
  serverHost,
  signInLabel,
  tokenHint,
  tokenPage,
} from "./profiles";

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
  /** The radio buttons of the profiles (name `add-profile`), grouped. */
  readonly profilePicker = byId("add-profile", HTMLElement);
  readonly methodPicker = byId("add-method", HTMLSelectElement);
  readonly methodReason = byId("method-reason", HTMLElement);
  readonly profileProblem = byId("profile-problem", HTMLElement);
  readonly redirectActions = byId("redirect-actions", HTMLElement);
  readonly signIn = byId("sign-in", HTMLButtonElement);
  readonly signInBrowser = byId("sign-in-browser", HTMLButtonElement);
  readonly signInLoopback = byId("sign-in-loopback", HTMLButtonElement);
  readonly form = byId("credentials", HTMLFormElement);
  /** Every field of the form: disabled while a sign-in is in flight. */
  readonly fields = byId("credentials-fields", HTMLFieldSetElement);
  readonly username = byId("credentials-username", HTMLInputElement);
  readonly password = byId("credentials-password", HTMLInputElement);
  readonly token = byId("credentials-token", HTMLInputElement);
  readonly submit = byId("credentials-submit", HTMLButtonElement);
  private readonly formHint = byId("credentials-hint", HTMLElement);
  private readonly formError = byId("credentials-error", HTMLElement);
  private readonly usernameLabel = byId("credentials-username-label", HTMLElement);
  private readonly passwordFields = byId("credentials-password-fields", HTMLFieldSetElement);
  private readonly tokenFields = byId("credentials-token-fields", HTMLFieldSetElement);
  private readonly tokenPageText = byId("credentials-token-page", HTMLElement);
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
    const profile = this.profile(this.pickedProfile());
    const method = profile?.methods.find((m) => m.id === this.methodPicker.value);
    return profile && method ? { profile, method } : null;
  }

  /** The profile with `id`, if known. */
  profile(id: string): ProfileView | undefined {
    return this.profiles.find((p) => p.id === id);
  }

  /** Whether accounts of the profile `id` are on a Riot server. */
  isRiot(id: string): boolean {
    return this.profile(id)?.kind === "riot";
  }

  /** Picks `profile` and `method` (e.g. to sign in again to an account). */
  pick(profile: string, method: string): void {
    if (this.profiles.some((p) => p.id === profile)) {
      this.checkProfile(profile);
      this.fillMethods(method);
    }
  }

  private radios(): HTMLInputElement[] {
    return [...this.profilePicker.querySelectorAll<HTMLInputElement>('input[name="add-profile"]')];
  }

  private pickedProfile(): string {
    return this.radios().find((radio) => radio.checked)?.value ?? "";
  }

  private checkProfile(id: string): void {
    for (const radio of this.radios()) {
      radio.checked = radio.value === id;
    }
  }

  /** The profiles as radio buttons in groups (Riot, old API, demo), one line each. */
  private fillProfiles(selected: string): void {
    const groups = groupProfiles(this.profiles).map((group) => {
      const box = document.createElement("div");
      box.className = "profile-group";
      box.dataset.group = group.id;
      box.setAttribute("role", "group");
      const title = textElement("p", group.title, "profile-group-title");
      title.id = `profile-group-${group.id}`;
      const line = textElement("p", group.line, "profile-group-line hint");
      line.id = `profile-group-${group.id}-line`;
      box.setAttribute("aria-labelledby", title.id);
      box.setAttribute("aria-describedby", line.id);
      box.append(title, line, ...group.profiles.map((profile) => this.profileChoice(profile)));
      return box;
    });
    this.profilePicker.replaceChildren(...groups);
    const usable = this.profiles.find((p) => p.id === selected) ?? this.profiles[0];
    this.checkProfile(usable?.id ?? "");
    this.fillMethods(null);
  }

  private profileChoice(profile: ProfileView): HTMLLabelElement {
    const label = document.createElement("label");
    label.className = "profile-choice";
    label.dataset.profile = profile.id;
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "add-profile";
    radio.value = profile.id;
    const host = serverHost(profile.server);
    label.append(radio, textElement("span", profile.name, "profile-name"));
    if (host) {
      label.append(textElement("span", host, "mono muted profile-host"));
    }
    if (!profile.usable) {
      label.append(textElement("span", "not available", "tag"));
    }
    return label;
  }

  private fillMethods(selected: string | null): void {
    const profile = this.profile(this.pickedProfile());
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

  /** Shows the provider's buttons or our form (user name and password, or a token), and
   * why a legacy method is not recommended. */
  private showMethod(): void {
    const choice = this.choice();
    const usesForm = choice?.method.usesForm ?? false;
    this.form.hidden = !usesForm;
    this.redirectActions.hidden = usesForm;
    this.methodReason.textContent = methodReason(choice);
    this.showFormError(null);
    if (choice && usesForm) {
      this.showForm(choice);
    }
    // The system browser (deep link or loopback) only for the code sign-in with PKCE, at an
    // Igtimi-type server: without PKCE the answer must stay in the sign-in window (the
    // backend refuses the rest too).
    const withPkce = choice?.method.id === "code" && choice.profile.kind === "igtimi";
    this.signInBrowser.hidden = !withPkce;
    this.signInLoopback.hidden = !withPkce;
    this.signIn.textContent = choice ? signInLabel(choice.profile) : "Sign in";
    const problem = choice?.profile.problem ?? null;
    const closed =
      choice && isClosedIgtimiCloud(choice.profile.server)
        ? "Igtimi's own cloud was switched off on 6 January 2025: this server no longer answers. YachtBots report to Riot servers now."
        : null;
    const note = problem ?? closed;
    this.profileProblem.hidden = note === null;
    this.profileProblem.textContent = note ?? "";
  }

  /** Our form for `choice`: user name and password (an email on the old API, a user name on
   * Riot), or a pasted token; the fields of the other kind are disabled, so the browser
   * neither checks nor sends them. */
  private showForm(choice: Choice): void {
    const wantsToken = choice.method.asksFor === "token";
    const riot = choice.profile.kind === "riot";
    this.passwordFields.hidden = wantsToken;
    this.passwordFields.disabled = wantsToken;
    this.tokenFields.hidden = !wantsToken;
    this.tokenFields.disabled = !wantsToken;
    this.formHint.textContent = wantsToken ? tokenHint(choice.profile) : passwordHint(choice.profile);
    this.tokenPageText.textContent = tokenPage(choice.profile);
    this.username.type = riot ? "text" : "email";
    this.usernameLabel.textContent = riot ? "User name" : "User name (email)";
  }

  /** Says why the form's sign-in failed, next to the form (where the user is looking);
   * null clears it. `kind` ends up in `data-kind`. */
  showFormError(error: { kind: string; message: string } | null): void {
    this.formError.hidden = error === null;
    this.formError.textContent = error?.message ?? "";
    if (error) {
      this.formError.dataset.kind = error.kind;
    } else {
      delete this.formError.dataset.kind;
    }
  }

  /** Empties the form's secrets (and, with `all`, the user name too). */
  clearSecrets(all = false): void {
    this.password.value = "";
    this.token.value = "";
    if (all) {
      this.username.value = "";
    }
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

/** Why this method, in one line: legacy ones are not recommended, and why. */
function methodReason(choice: Choice | null): string {
  if (!choice) {
    return "";
  }
  const { method } = choice;
  if (method.legacy) {
    return `Not recommended: ${method.legacyReason}.`;
  }
  if (method.asksFor === "token") {
    return "No password needed here: paste a token the server gave you.";
  }
  if (method.usesForm) {
    return "This server has no sign-in page for apps: Telltale asks for your user name and password itself.";
  }
  return "Recommended: you sign in on the provider's own page, so Telltale never sees your password.";
}
