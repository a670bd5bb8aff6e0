/**
 * @module
 * A cursor over a filter pattern's text, with the few lexical forms every pattern kind shares:
 * whitespace, double-quoted strings, `%regex%` spans and bare words.
 */

/** A pattern that breaks the filter-pattern grammar; the service answers InvalidParameterException. */
export class FilterPatternError extends Error {
  constructor(
    message: string,
    /** AWS's wording for the client, when it differs from the generic invalid-pattern message. */
    readonly awsMessage?: string,
  ) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

/** Reads a pattern left to right. */
export class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  /** Consumes `token` (after whitespace) if it is next. */
  accept(token: string): boolean {
    this.skipSpace();
    if (!this.startsWith(token)) return false;
    this.pos += token.length;
    return true;
  }

  /** Consumes `token` (after whitespace) or fails. */
  expect(token: string): void {
    if (!this.accept(token)) this.fail(`expected '${token}'`);
  }

  /** Consumes a keyword (case-insensitive, followed by a non-word character). */
  acceptKeyword(word: string): boolean {
    this.skipSpace();
    const candidate = this.text.slice(this.pos, this.pos + word.length);
    if (candidate.toUpperCase() !== word || /\w/.test(this.text.charAt(this.pos + word.length))) return false;
    this.pos += word.length;
    return true;
  }

  /** A double-quoted string starting at the cursor; backslash escapes the next character. */
  quoted(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text.charAt(this.pos++);
      if (c === '"') return out;
      if (c === '\\' && this.pos < this.text.length) out += this.text.charAt(this.pos++);
      else out += c;
    }
    this.pos = start;
    return this.fail('unterminated quoted string');
  }

  /** A `%regex%` span starting at the cursor; returns the source between the percent signs. */
  regex(): string {
    const end = this.text.indexOf('%', this.pos + 1);
    if (end < 0) this.fail('unterminated regular expression');
    const source = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return source;
  }

  /** Characters up to whitespace or any of `stops` (or a `&&`/`||` operator). */
  bare(stops: string): string {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charAt(this.pos);
      if (/\s/.test(c) || stops.includes(c) || this.startsWith('&&') || this.startsWith('||')) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  fail(reason: string): never {
    throw new FilterPatternError(`${reason} at position ${this.pos} of ${JSON.stringify(this.text)}`);
  }
}
