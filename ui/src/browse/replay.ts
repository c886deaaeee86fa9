// The replay timeline under the map: play/pause, speed, steps, a scrubber, the trail
// length, and the keyboard shortcuts (Space, ← →, [ ]). The clock (replay-clock.ts) runs
// on animation frames only while playing or while a move waits to be shown, so a paused
// replay costs nothing; each frame hands the replay time to the viewer, which moves the
// charts' cursor and the boats. Frame times go to #plot-timing for the benchmark.

import { byId, textElement } from "../dom";
import { formatUtc, formatUtcTime } from "./format";
import { BIG_STEP_MS, FrameRing, ReplayClock, SPEEDS, STEP_MS, nextSpeed } from "./replay-clock";

/** Frames kept for the percentiles: ten seconds at 60 Hz. */
const RING_FRAMES = 600;
/** While playing, #plot-timing is rewritten every this many frames (and when it stops). */
const TIMING_EVERY = 60;
/** The scrubber moves in this many steps over the range (each a pixel or less): moving it
 *  every frame would repaint it every frame for nothing. */
const SCRUB_STEPS = 1000;

/** Where keys type or choose: no shortcut there. */
const TYPING =
  "input:not([type=range]), textarea, select, [contenteditable]:not([contenteditable=false])";
/** Where Space already presses something. */
const PRESSABLE = "button, a[href], summary, [role=button]";
/** Where arrows already scroll. */
const SCROLLS = ".table-scroll";

export interface ReplayHooks {
  /** Show the replay time (null: none); called at most once per animation frame. */
  cursor(time: number | null): void;
  /** The trail length chosen, ms (null: off). Absent: the track draws no trails, and the
   *  trail choice is not offered. */
  trail?: (ms: number | null) => void;
}

export class Replay {
  private readonly clock = new ReplayClock();
  /** Time between animation frames while playing, and the work inside each, ms. */
  private readonly intervals = new FrameRing(RING_FRAMES);
  private readonly work = new FrameRing(RING_FRAMES);
  private readonly dataView = byId("dataset", HTMLElement);
  private readonly playButton = byId("replay-play", HTMLButtonElement);
  private readonly playGlyph = byId("replay-play-glyph", HTMLElement);
  private readonly playLabel = byId("replay-play-label", HTMLElement);
  private readonly back = byId("replay-back", HTMLButtonElement);
  private readonly forward = byId("replay-forward", HTMLButtonElement);
  private readonly speedSelect = byId("replay-speed", HTMLSelectElement);
  private readonly trailSelect = byId("replay-trail", HTMLSelectElement);
  private readonly scrub = byId("replay-scrub", HTMLInputElement);
  private readonly clockText = byId("replay-time", HTMLElement);
  private frame = 0;
  /** The previous frame's time while playing (null: the next frame is the first). */
  private lastFrame: number | null = null;
  /** What the controls show, so a frame rewrites only what changed. */
  private shown = { playing: false, second: Number.NaN, offset: Number.NaN };
  /** The pointer holds the scrubber; it was playing when taken and plays on when let go. */
  private scrubbing = false;
  private resumeAfterScrub = false;

  constructor(
    private readonly hooks: ReplayHooks,
    private readonly timing: HTMLElement,
  ) {
    // The speeds offered are the clock's steps (the keys step through the same list).
    this.speedSelect.replaceChildren(
      ...SPEEDS.map((speed) => {
        const option = textElement("option", `${speed}×`);
        option.value = String(speed);
        return option;
      }),
    );
    this.speedSelect.value = String(this.clock.speed);
    this.playButton.addEventListener("click", () => this.toggle());
    this.back.addEventListener("click", () => this.step(-1, false));
    this.forward.addEventListener("click", () => this.step(1, false));
    this.speedSelect.addEventListener("change", () => {
      this.clock.setSpeed(Number(this.speedSelect.value), performance.now());
    });
    this.scrub.addEventListener("input", () => {
      const range = this.clock.range;
      if (range) {
        this.clock.seek(range.from + Number(this.scrub.value), performance.now());
        this.show();
      }
    });
    this.scrub.addEventListener("pointerdown", () => {
      this.scrubbing = true;
      this.resumeAfterScrub = this.clock.playing;
      this.pause();
    });
    const release = (): void => {
      if (this.scrubbing) {
        this.scrubbing = false;
        // Let go at the very end: it stays there (playing would start over).
        if (this.resumeAfterScrub && this.clock.time !== this.clock.range?.to) {
          this.play();
        }
      }
    };
    window.addEventListener("pointerup", release);
    window.addEventListener("pointercancel", release);
    document.addEventListener("keydown", (event) => this.key(event));
    // Escape folds the keys panel again and leaves the focus on its summary.
    const help = byId("replay-help", HTMLDetailsElement);
    help.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && help.open) {
        help.open = false;
        help.querySelector("summary")?.focus();
        event.preventDefault();
      }
    });
    const trail = hooks.trail;
    const trailField = this.trailSelect.closest("label") ?? this.trailSelect;
    trailField.hidden = !trail;
    if (trail) {
      const chosen = (): number | null => Number(this.trailSelect.value) || null;
      this.trailSelect.addEventListener("change", () => trail(chosen()));
      trail(chosen());
    }
    this.enable(false);
  }

  /** The range to replay in (the visible range). A replay time inside it stays. */
  setRange(from: number, to: number): void {
    const range = this.clock.range;
    if (range && range.from === from && range.to === to) {
      return;
    }
    this.clock.setSpan({ from, to }, performance.now());
    this.scrub.max = String(Math.max(0, to - from));
    this.shown.offset = Number.NaN;
    this.enable(true);
    this.show();
  }

  /** Nothing to replay (no dataset shown). */
  clear(): void {
    this.clock.setSpan(null, performance.now());
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.lastFrame = null;
    this.enable(false);
    this.render(null);
    this.hooks.cursor(null);
  }

  /** The charts' pointer is at `time` (null: off the charts). While paused it moves the
   *  replay there (scrubbing a chart moves the boats); leaving the charts puts their cursor
   *  back at the replay time. While playing the replay keeps its own time. */
  pointer(time: number | null): void {
    if (this.clock.playing || this.clock.time === null) {
      return;
    }
    if (time !== null) {
      this.clock.seek(time, performance.now());
    }
    this.show();
  }

  /** Plays from `time` in real time (a maneuver's replay). */
  playFrom(time: number): void {
    const now = performance.now();
    this.clock.setSpeed(1, now);
    this.speedSelect.value = "1";
    this.clock.seek(time, now);
    this.play();
  }

  play(): void {
    this.clock.play(performance.now());
    this.lastFrame = null;
    this.show();
  }

  pause(): void {
    if (this.clock.playing) {
      this.clock.pause(performance.now());
      this.show();
    }
  }

  private toggle(): void {
    if (this.clock.playing) {
      this.pause();
    } else {
      this.play();
    }
  }

  private step(direction: -1 | 1, big: boolean): void {
    this.clock.step(direction * (big ? BIG_STEP_MS : STEP_MS), performance.now());
    this.show();
  }

  private changeSpeed(direction: -1 | 1): void {
    this.clock.setSpeed(nextSpeed(this.clock.speed, direction), performance.now());
    this.speedSelect.value = String(this.clock.speed);
  }

  /** Shows the replay time on the next animation frame (one frame for many moves). */
  private show(): void {
    if (this.frame === 0 && this.clock.time !== null) {
      this.frame = requestAnimationFrame((now) => this.tick(now));
    }
  }

  private tick(now: number): void {
    this.frame = 0;
    const started = performance.now();
    const playing = this.clock.playing;
    const time = this.clock.advance(now);
    this.hooks.cursor(time);
    this.render(time);
    if (!playing) {
      return;
    }
    if (this.lastFrame !== null) {
      this.intervals.push(now - this.lastFrame);
      this.work.push(performance.now() - started);
    }
    this.lastFrame = now;
    if (this.clock.playing) {
      this.show();
      if (this.intervals.total % TIMING_EVERY === 0) {
        this.publishTiming();
      }
    } else {
      this.publishTiming();
    }
  }

  /** The controls at `time`: only what changed is written (text once a second). */
  private render(time: number | null): void {
    const shown = this.shown;
    const playing = this.clock.playing;
    if (playing !== shown.playing) {
      shown.playing = playing;
      this.playGlyph.textContent = playing ? "❚❚" : "▶";
      this.playLabel.textContent = playing ? "Pause" : "Play";
      this.playButton.dataset.playing = String(playing);
    }
    const range = this.clock.range;
    if (time === null || !range) {
      shown.second = Number.NaN;
      shown.offset = Number.NaN;
      this.clockText.textContent = "";
      this.scrub.value = "0";
      this.scrub.removeAttribute("aria-valuetext");
      return;
    }
    const offset = time - range.from;
    const stride = (range.to - range.from) / SCRUB_STEPS;
    if (!this.scrubbing && (!playing || !(Math.abs(offset - shown.offset) < stride))) {
      shown.offset = offset;
      this.scrub.value = String(offset);
    }
    const second = Math.floor(time / 1000);
    if (second !== shown.second) {
      shown.second = second;
      this.clockText.textContent = `${formatUtcTime(time, true)} UTC`;
      this.scrub.setAttribute("aria-valuetext", formatUtc(time, true));
    }
  }

  private enable(on: boolean): void {
    for (const control of [this.playButton, this.back, this.forward, this.scrub]) {
      control.disabled = !on;
    }
  }

  /** p50 and p95 of the frame intervals and of the work per frame, for the benchmark. */
  private publishTiming(): void {
    const data = this.timing.dataset;
    const ms = (value: number | null): string => (value === null ? "" : value.toFixed(1));
    data.replayP50 = ms(this.intervals.percentile(50));
    data.replayP95 = ms(this.intervals.percentile(95));
    data.replayWorkP50 = ms(this.work.percentile(50));
    data.replayWorkP95 = ms(this.work.percentile(95));
    data.replayFrames = String(this.intervals.total);
  }

  /** Space plays or pauses, ← → step (Shift: further), [ ] change speed: while the data
   *  view is shown and the focus is in it (or nowhere), and not where keys type, choose,
   *  press or scroll already. */
  private key(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const target = event.target instanceof Element ? event.target : null;
    const inView = target === null || target === document.body || this.dataView.contains(target);
    if (
      !inView ||
      this.clock.time === null ||
      this.dataView.hidden ||
      this.dataView.getClientRects().length === 0 ||
      target?.closest(TYPING)
    ) {
      return;
    }
    switch (event.key) {
      case " ":
        if (target?.closest(PRESSABLE)) {
          return;
        }
        this.toggle();
        break;
      case "ArrowLeft":
      case "ArrowRight":
        if (target?.closest(SCROLLS)) {
          return;
        }
        this.step(event.key === "ArrowLeft" ? -1 : 1, event.shiftKey);
        break;
      case "[":
        this.changeSpeed(-1);
        break;
      case "]":
        this.changeSpeed(1);
        break;
      default:
        return;
    }
    event.preventDefault();
  }
}
