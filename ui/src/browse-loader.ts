// The browse area ("Your data") is loaded the first time a sign-in shows it, not at
// start-up: its code and uPlot are most of the bundle, and with its stylesheets they held
// back the first paint (bench/README.md, "The installed app against a bare Tauri app").

import type { AppError } from "./api";
import type { Browse } from "./browse";

export interface BrowseHooks {
  /** An error from the browse area that ended the sign-in (e.g. token rejected). */
  signedOut: (error: AppError) => void;
  /** The browse code could not be loaded; the account card still works. */
  failed: (error: AppError) => void;
}

/** Stands in for [`Browse`] until its module is loaded, then passes every call on. */
export class BrowseLoader {
  private browse: Browse | null = null;
  private loading: Promise<Browse> | null = null;
  /** The account the area should show once loaded; null while signed out. */
  private wanted: string | null = null;

  constructor(private readonly hooks: BrowseHooks) {}

  /** Signed in as `accountKey` (who and where): loads the area if needed, then shows it. */
  enter(accountKey: string): void {
    this.wanted = accountKey;
    if (this.browse) {
      this.browse.enter(accountKey);
      return;
    }
    this.load().then(
      (browse) => {
        // Signed out or switched while the code loaded: show only the latest account.
        if (this.wanted !== null) {
          browse.enter(this.wanted);
        }
      },
      (reason: unknown) => {
        this.loading = null;
        this.hooks.failed({
          kind: "internal",
          message: `The data browser could not be loaded: ${String(reason)}`,
        });
      },
    );
  }

  /** Not signed in any more: hides the area (nothing to do if it never loaded). */
  leave(): void {
    this.wanted = null;
    this.browse?.leave();
  }

  /** Loads the area once; `data-browse` on the body says how far (loading, loaded, failed). */
  private load(): Promise<Browse> {
    if (this.loading) {
      return this.loading;
    }
    document.body.dataset.browse = "loading";
    this.loading = Promise.all([
      import("./browse"),
      stylesheet("uplot.css"),
      stylesheet("browse.css"),
    ]).then(async ([{ Browse }]) => {
      const browse = new Browse(this.hooks.signedOut);
      // Before anything can start a load, so no progress is missed.
      browse.listen();
      this.browse = browse;
      document.body.dataset.browse = "loaded";
      return browse;
    });
    this.loading.catch(() => {
      document.body.dataset.browse = "failed";
    });
    return this.loading;
  }
}

/** Adds the stylesheet at `href` to the page; resolves once it has loaded. */
function stylesheet(href: string): Promise<void> {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  return new Promise((resolve, reject) => {
    link.addEventListener("load", () => resolve(), { once: true });
    link.addEventListener(
      "error",
      () => {
        link.remove();
        reject(new Error(`${href} did not load`));
      },
      { once: true },
    );
    document.head.append(link);
  });
}
