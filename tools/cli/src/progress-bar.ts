/** Where the bar is drawn: stderr, or a fake in tests. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 30;
const REDRAW_EVERY_MS = 100;

/**
 * A progress bar over bytes read, on one line of a terminal (redrawn at most 10 times a second),
 * or one line per 10% step when the output is a file or pipe.
 */
export class ProgressBar {
  #doneBytes = 0;
  #lastDrawMs = 0;
  #lastStep = -1;

  constructor(
    private readonly totalBytes: number,
    private readonly output: ProgressOutput,
    private readonly detail: () => string = () => '',
    private readonly nowMs: () => number = Date.now,
  ) {}

  advance(bytes: number): void {
    this.#doneBytes += bytes;
    if (this.output.isTTY) {
      const now = this.nowMs();
      if (now - this.#lastDrawMs < REDRAW_EVERY_MS) return;
      this.#lastDrawMs = now;
      this.output.write(`\r${this.#line()}\x1b[K`);
    } else {
      const step = Math.floor(this.#fraction() * 10);
      if (step === this.#lastStep) return;
      this.#lastStep = step;
      this.output.write(`${this.#line()}\n`);
    }
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.#doneBytes = Math.max(this.#doneBytes, this.totalBytes);
    this.output.write(this.output.isTTY ? `\r${this.#line()}\x1b[K\n` : `${this.#line()}\n`);
  }

  #fraction(): number {
    return this.totalBytes === 0 ? 1 : Math.min(1, this.#doneBytes / this.totalBytes);
  }

  #line(): string {
    const fraction = this.#fraction();
    const filled = Math.round(fraction * WIDTH);
    const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
    const detail = this.detail();
    return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ` +
      `${megabytes(Math.min(this.#doneBytes, this.totalBytes))}/${megabytes(this.totalBytes)} MB${detail ? `  ${detail}` : ''}`;
  }
}
