/**
 * @module
 * Patterns over unstructured events: terms that must all appear (`ERROR ARGUMENTS`), exact phrases
 * in double quotes, `-term` to exclude, `?term` for any-of, and `%regex%` terms. Matching is a
 * case-sensitive substring search. As AWS documents, `?` terms are ignored when the pattern also
 * has plain or `-` terms; a term of only whitespace (`" "`) matches every event.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-unstructured-log-events
 */
import { compileRegexTerm } from './regex-term.js';
import { Scanner } from './scanner.js';

/** One term: a text or a regular expression. */
export type Term = { readonly text: string } | { readonly re: RegExp };

/** A parsed term pattern. */
export interface TermPattern {
  readonly include: readonly Term[];
  readonly exclude: readonly Term[];
  readonly optional: readonly Term[];
}

function readTerm(scanner: Scanner): Term {
  const c = scanner.peek();
  if (c === '"') return { text: scanner.quoted().trim() };
  if (c === '%') return { re: compileRegexTerm(scanner.regex()) };
  const word = scanner.bare('');
  if (word === '') scanner.fail('expected a term');
  return { text: word };
}

/** Parses a term pattern. */
export function parseTermPattern(text: string): TermPattern {
  const scanner = new Scanner(text);
  const include: Term[] = [];
  const exclude: Term[] = [];
  const optional: Term[] = [];
  for (scanner.skipSpace(); !scanner.done; scanner.skipSpace()) {
    const sign = scanner.peek();
    if ((sign === '-' || sign === '?') && scanner.peek(1) !== '' && !/\s/.test(scanner.peek(1))) {
      scanner.pos++;
      (sign === '-' ? exclude : optional).push(readTerm(scanner));
    } else {
      include.push(readTerm(scanner));
    }
  }
  return { include, exclude, optional };
}

function present(term: Term, message: string): boolean {
  return 're' in term ? term.re.test(message) : message.includes(term.text);
}

/** Whether an event matches a term pattern. */
export function matchTerms(pattern: TermPattern, message: string): boolean {
  const { include, exclude, optional } = pattern;
  if (include.length > 0 || exclude.length > 0) {
    return include.every((t) => present(t, message)) && !exclude.some((t) => present(t, message));
  }
  return optional.length === 0 || optional.some((t) => present(t, message));
}
