// Rendering: which view is shown, the mode banner, the account, the message area.
// Everything that comes from the backend goes in as text (textContent), never as HTML.

import type { AccountView, DemoUser, Overview } from "./api";
import { byId, textElement, usable } from "./dom";

export type ViewName = "loading" | "signed-out" | "signing-in" | "signed-in" | "broken";

const VIEW_NAMES: readonly ViewName[] = [
  "loading",
  "signed-out",
  "signing-in",
  "signed-in",
  "broken",
];

const TITLES: Record<ViewName, string> = {
  loading: "Telltale",
  "signed-out": "Telltale: not signed in",
  "signing-in": "Telltale: signing in",
  "signed-in": "Telltale: signed in",
  broken: "Telltale: cannot start",
};

/** Errors are announced at once (role="alert"); notices politely (role="status"). */
export type Tone = "error" | "notice";

export interface MessageSpec {
  /** The error kind, or "info" for a plain notice. Ends up in `data-kind`. */
  kind: string;
  text: string;
  tone: Tone;
  /** Show the Retry button. */
  retry?: boolean;
}

export class Screen {
  readonly signIn = byId("sign-in", HTMLButtonElement);
  readonly cancelSignIn = byId("cancel-sign-in", HTMLButtonElement);
  readonly refreshAccount = byId("refresh-account", HTMLButtonElement);
  readonly signOut = byId("sign-out", HTMLButtonElement);
  readonly retry = byId("retry", HTMLButtonElement);
  readonly dismissMessage = byId("dismiss-message", HTMLButtonElement);
  readonly message = byId("message", HTMLElement);

  private readonly messageText = byId("message-text", HTMLElement);
  private readonly banner = byId("mode-banner", HTMLElement);
  private readonly modeText = byId("mode-text", HTMLElement);
  private readonly demoUsers = byId("demo-users", HTMLTableElement);
  private readonly demoUsersBody = byId("demo-users-body", HTMLTableSectionElement);
  private readonly demoUsernameHead = byId("demo-users-username", HTMLElement);
  private readonly brokenMessage = byId("broken-message", HTMLElement);
  private readonly keychainNote = byId("keychain-note", HTMLElement);
  private readonly account = {
    name: byId("account-name", HTMLElement),
    username: byId("account-username", HTMLElement),
    email: byId("account-email", HTMLElement),
    id: byId("account-id", HTMLElement),
    server: byId("account-server", HTMLElement),
  };
  private readonly usernameField = byId("account-username-field", HTMLElement);
  private readonly idField = byId("account-id-field", HTMLElement);

  /** Called after every `show`, with the view now shown. */
  onViewChange: ((view: ViewName) => void) | null = null;

  get current(): ViewName {
    const value = document.body.dataset.view;
    return VIEW_NAMES.find((name) => name === value) ?? "loading";
  }

  /** Shows exactly one view. On a change of view, focus moves to its heading. */
  show(view: ViewName): void {
    const changed = this.current !== view;
    document.body.dataset.view = view;
    document.title = TITLES[view];
    for (const name of VIEW_NAMES) {
      byId(`view-${name}`, HTMLElement).hidden = name !== view;
    }
    if (view !== "signed-in") {
      this.clearAccount();
    }
    this.onViewChange?.(view);
    if (changed) {
      this.focusView();
    }
  }

  /** Puts focus on the current view's heading (so a screen reader reads where we are). */
  focusView(): void {
    const section = byId(`view-${this.current}`, HTMLElement);
    section.querySelector<HTMLElement>("h2")?.focus();
  }

  /** After an action: keep focus if it is still somewhere usable, else `preferred`, else the heading. */
  settleFocus(preferred: HTMLElement): void {
    if (usable(document.activeElement)) {
      return;
    }
    if (usable(preferred)) {
      preferred.focus();
    } else {
      this.focusView();
    }
  }

  renderBanner(overview: Overview): void {
    this.banner.dataset.mode = overview.mode;
    this.modeText.replaceChildren();
    if (overview.mode === "demo") {
      this.modeText.append(
        textElement("strong", "Offline demo", "mode-label"),
        " Telltale runs its own simulator at ",
        textElement("span", overview.server, "mono"),
        ", speaking both the Riot API and the old one. Sign in with one of the demo accounts below.",
      );
      this.renderDemoUsers(overview.demoUsers);
      this.demoUsers.hidden = false;
    } else {
      this.modeText.append("Server ", textElement("span", overview.server, "mono"));
      this.demoUsers.hidden = true;
      this.demoUsersBody.replaceChildren();
    }
    // The workspace's one-line header may cut the line short: the whole of it on hover.
    this.modeText.title = this.modeText.textContent ?? "";
    this.banner.hidden = false;
  }

  /** The demo accounts; with a "User name (Riot)" column when the backend names them. */
  private renderDemoUsers(users: DemoUser[]): void {
    const withUsername = users.some((user) => user.username !== undefined);
    this.demoUsernameHead.hidden = !withUsername;
    const rows = users.map((user) => {
      const row = document.createElement("tr");
      row.append(textElement("td", user.name));
      if (withUsername) {
        row.append(textElement("td", user.username ?? "–", "mono"));
      }
      row.append(
        textElement("td", user.email, "mono"),
        textElement("td", user.password, "mono"),
        textElement("td", user.role),
      );
      return row;
    });
    if (rows.length === 0) {
      const row = document.createElement("tr");
      const cell = textElement("td", "No demo accounts are set up.", "muted");
      cell.colSpan = withUsername ? 5 : 4;
      row.append(cell);
      rows.push(row);
    }
    this.demoUsersBody.replaceChildren(...rows);
  }

  /** The account: on a Riot server its user name, full name and email (its id is 0 there
   * and means nothing); on the old API its name, email and user id. */
  renderAccount(account: AccountView): void {
    const fullName = [account.firstName, account.surname]
      .filter((part): part is string => Boolean(part))
      .join(" ");
    const riot = account.username !== null;
    this.account.name.textContent = account.name || fullName || "No name given";
    this.account.username.textContent = account.username ?? "";
    this.usernameField.hidden = !riot;
    this.account.email.textContent = account.email ?? "No email given";
    this.account.email.classList.toggle("muted", account.email === null);
    this.account.id.textContent = riot ? "" : String(account.id);
    this.idField.hidden = riot;
    this.account.server.textContent = account.server;
    this.keychainNote.hidden = account.savedInKeychain;
  }

  /** Forgets the shown account details once nobody is signed in. */
  private clearAccount(): void {
    for (const field of Object.values(this.account)) {
      field.textContent = "";
    }
    this.usernameField.hidden = true;
    this.idField.hidden = false;
    this.keychainNote.hidden = true;
  }

  showBroken(text: string): void {
    this.brokenMessage.textContent = text;
    this.banner.hidden = true;
    this.clearMessage();
    this.show("broken");
  }

  showMessage(spec: MessageSpec): void {
    const error = spec.tone === "error";
    this.message.setAttribute("role", error ? "alert" : "status");
    this.message.setAttribute("aria-live", error ? "assertive" : "polite");
    this.message.dataset.kind = spec.kind;
    this.message.dataset.tone = spec.tone;
    this.messageText.textContent = spec.text;
    this.retry.hidden = !spec.retry;
    this.setPending(this.retry, false);
    this.message.hidden = false;
  }

  clearMessage(): void {
    this.message.hidden = true;
    this.message.setAttribute("role", "status");
    this.message.setAttribute("aria-live", "polite");
    this.message.dataset.kind = "info";
    this.message.dataset.tone = "notice";
    this.messageText.textContent = "";
    this.retry.hidden = true;
  }

  get messageShown(): boolean {
    return !this.message.hidden;
  }

  /** Disables a button while its command runs, with an optional "working" label. */
  setPending(button: HTMLButtonElement, pending: boolean, workingLabel?: string): void {
    if (pending) {
      button.dataset.label ??= button.textContent ?? "";
      if (workingLabel) {
        button.textContent = workingLabel;
      }
    } else if (button.dataset.label !== undefined) {
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    }
    button.disabled = pending;
    button.setAttribute("aria-busy", String(pending));
  }
}
