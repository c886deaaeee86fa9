// Signing out of a Riot account: the server keeps one token per user, shared by every app
// of that user, so by default Telltale only forgets it here. The dialog says so and offers,
// clearly worded, to also invalidate it at the server (which signs out the user's other
// apps too).

import { byId } from "./dom";

export interface SignOutChoice {
  /** Also replace the token at the server. */
  invalidate: boolean;
}

export class SignOutDialog {
  private readonly dialog = byId("sign-out-dialog", HTMLDialogElement);
  private readonly title = byId("sign-out-title", HTMLElement);
  private readonly text = byId("sign-out-text", HTMLElement);
  private readonly invalidate = byId("sign-out-invalidate", HTMLInputElement);
  private readonly warning = byId("sign-out-warning", HTMLElement);
  private readonly confirm = byId("sign-out-confirm", HTMLButtonElement);
  private readonly cancel = byId("sign-out-cancel", HTMLButtonElement);
  private settle: ((choice: SignOutChoice | null) => void) | null = null;

  constructor() {
    this.invalidate.addEventListener("change", () => this.showChoice());
    this.confirm.addEventListener("click", () =>
      this.close({ invalidate: this.invalidate.checked }),
    );
    this.cancel.addEventListener("click", () => this.close(null));
    // Escape closes a modal dialog: that is a "Cancel".
    this.dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.close(null);
    });
  }

  /** Asks how to sign out of `who` at `server`; null when the user cancelled. */
  ask(who: string, server: string): Promise<SignOutChoice | null> {
    this.close(null);
    const where = server || "the server";
    this.title.textContent = `Sign out of ${who}?`;
    this.text.textContent =
      `Telltale forgets this sign-in on this computer. ${where} keeps one token per user, ` +
      "shared by every app you use with it, so the token stays valid there and your other " +
      "apps stay signed in.";
    this.warning.textContent =
      `The server then replaces your token: every other app signed in as ${who} at ${where} ` +
      "(on any computer or phone) is signed out and must sign in again. Choose this if the " +
      "token may have been seen by someone else.";
    this.invalidate.checked = false;
    this.showChoice();
    if (typeof this.dialog.showModal === "function") {
      this.dialog.showModal();
    } else {
      this.dialog.setAttribute("open", "");
    }
    this.cancel.focus();
    return new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  private showChoice(): void {
    const invalidate = this.invalidate.checked;
    this.confirm.textContent = invalidate ? "Sign out and invalidate" : "Sign out";
    this.warning.classList.toggle("check-warning", invalidate);
  }

  private close(choice: SignOutChoice | null): void {
    if (this.dialog.open) {
      this.dialog.close();
    }
    const settle = this.settle;
    this.settle = null;
    settle?.(choice);
  }
}
