// The live panel's lines around the pictures: devices that went quiet ("No data from Tern
// since 14:02:11 UTC"), a failed poll, and the details disclosure with what is kept and
// dropped, the feed's counts and its latest notes. Each is rewritten only when its words
// change, so the polite live regions speak only then.

import type { AppError } from "../api";
import { byId, textElement } from "../dom";
import type { LiveCounts, LiveQuiet, LiveUpdate } from "./api";
import { countsWords, latestNotes, pageWords, quietWords } from "./status";
import type { LiveStore } from "./store";

export class LiveDetails {
  private readonly problem = byId("live-problem", HTMLElement);
  private readonly quietList = byId("live-quiet", HTMLUListElement);
  private readonly kept = byId("live-kept", HTMLElement);
  private readonly skipped = byId("live-skipped", HTMLElement);
  private readonly page = byId("live-page", HTMLElement);
  private readonly countsList = byId("live-counts", HTMLDListElement);
  private readonly notesList = byId("live-notes", HTMLUListElement);
  private quiet: LiveQuiet[] = [];
  private quietKey = "";
  private counts: LiveCounts | null = null;
  private notes: string[] = [];
  private dirty = false;

  /** Takes an answer's quiet devices, counts and new notes (drawn by the next render). */
  take(update: LiveUpdate): void {
    this.quiet = update.quiet;
    this.counts = update.counts;
    if (update.notes.length > 0) {
      this.notes = latestNotes(this.notes, update.notes);
    }
    this.dirty = true;
  }

  /** Draws what changed; returns the serials of the quiet devices. */
  render(store: LiveStore): Set<string> {
    const lines = this.quiet.map((quiet) =>
      quietWords(store.devices.get(quiet.serial)?.name ?? quiet.serial, quiet.since_ms),
    );
    const key = lines.join("\n");
    if (key !== this.quietKey) {
      this.quietKey = key;
      this.quietList.replaceChildren(...lines.map((line) => textElement("li", line)));
    }
    if (this.dirty) {
      this.dirty = false;
      this.renderDetails(store);
    }
    return new Set(this.quiet.map((quiet) => quiet.serial));
  }

  /** A failed poll, said under the status until one succeeds (null clears it). */
  showProblem(error: AppError | null, waitMs = 0): void {
    const text = error
      ? `Live updates could not be fetched: ${error.message} Trying again in ${Math.round(waitMs / 1000)} s.`
      : "";
    // Said once: the same failure again is not read out again.
    if (this.problem.textContent !== text) {
      this.problem.textContent = text;
    }
    if (this.problem.hidden !== (error === null)) {
      this.problem.hidden = error === null;
    }
    this.problem.dataset.kind = error?.kind ?? "info";
  }

  clear(): void {
    this.quiet = [];
    this.quietKey = "";
    this.counts = null;
    this.notes = [];
    this.dirty = true;
    this.quietList.replaceChildren();
    for (const line of [this.kept, this.skipped, this.page]) {
      line.textContent = "";
    }
    this.countsList.replaceChildren();
    this.notesList.replaceChildren();
    this.showProblem(null);
  }

  private renderDetails(store: LiveStore): void {
    this.page.textContent = pageWords({
      applied: store.applied,
      held: store.held(),
      trimmed: store.trimmed,
      capped: store.capped,
    });
    if (this.counts) {
      const words = countsWords(this.counts, store.keepMs);
      this.kept.textContent = words.kept;
      this.skipped.textContent = words.skipped ?? "";
      this.skipped.hidden = words.skipped === null;
      this.countsList.replaceChildren(
        ...words.rows.flatMap(([label, value]) => [
          textElement("dt", label),
          textElement("dd", value, "number"),
        ]),
      );
    }
    const notes = this.notes.length > 0 ? this.notes : ["No notes yet."];
    this.notesList.replaceChildren(...notes.map((note) => textElement("li", note)));
  }
}
