/**
 * The tail of a terminal's output, bounded, so a console that attaches later (another page, a
 * reload) can redraw the screen. Trimmed at a line break so the replay starts on a fresh line,
 * not in the middle of an escape sequence more often than it must.
 */
export class Scrollback {
  private text = '';

  constructor(private readonly limit: number) {}

  append(data: string): void {
    this.text += data;
    // Trim in steps (a quarter over the limit) rather than on every chunk: slicing copies.
    if (this.text.length <= this.limit * 1.25) return;
    const kept = this.text.slice(-this.limit);
    const lineStart = kept.indexOf('\n');
    this.text = lineStart >= 0 && lineStart < kept.length - 1 ? kept.slice(lineStart + 1) : kept;
  }

  all(): string {
    return this.text;
  }

  /** The last `length` characters, for reading what ssh said last. */
  tail(length: number): string {
    return this.text.slice(-length);
  }
}
