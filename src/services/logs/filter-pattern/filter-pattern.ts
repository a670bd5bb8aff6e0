/**
 * @module
 * CloudWatch Logs filter patterns, as metric filters, FilterLogEvents and TestMetricFilter use
 * them: a pure module (no I/O) that compiles a pattern once and matches events against it.
 * `{ ... }` is a JSON pattern, `[ ... ]` a space-delimited pattern, anything else a term pattern;
 * the empty pattern matches every event.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
import { matchDelimited, parseDelimitedPattern } from './delimited-pattern.js';
import { evaluateJson, parseJsonPattern, readSelector, requiredTexts, resolveSelector, type SelectorStep } from './json-pattern.js';
import { FilterPatternError, Scanner } from './scanner.js';
import { matchTerms, parseTermPattern } from './term-pattern.js';

export { FilterPatternError } from './scanner.js';
export { INVALID_TERM } from './regex-term.js';

/** The three pattern families. */
export type PatternKind = 'terms' | 'json' | 'delimited';

/** A value a metric transformation reads from a matched event. */
export type EventValue = string | number | boolean;

/** A matched event. */
export interface FilterMatch {
  /** TestMetricFilter's `extractedValues`: the fields of a space-delimited pattern; empty otherwise. */
  readonly extractedValues: Readonly<Record<string, string>>;
  /**
   * The value a reference names in the event: `$.path` in a JSON event, `$field` (or `$N`) in a
   * space-delimited one; undefined when it is absent or not a scalar.
   */
  value(reference: string): EventValue | undefined;
}

/** A compiled filter pattern. */
export interface FilterPattern {
  readonly text: string;
  readonly kind: PatternKind;
  /** The match, or undefined when the event does not match. */
  match(message: string): FilterMatch | undefined;
  /** Whether a reference (`$.path`, `$field`) can name a value in events this pattern matches. */
  canReference(reference: string): boolean;
}

const NO_VALUES: Readonly<Record<string, string>> = Object.freeze({});

function parseReference(reference: string): SelectorStep[] | undefined {
  try {
    const scanner = new Scanner(reference);
    const steps = readSelector(scanner);
    return scanner.done ? steps : undefined;
  } catch {
    return undefined;
  }
}

function jsonPattern(text: string): FilterPattern {
  const expr = parseJsonPattern(text);
  const required = requiredTexts(expr);
  const selectors = new Map<string, SelectorStep[] | undefined>();
  const selector = (reference: string) => {
    if (!selectors.has(reference)) selectors.set(reference, parseReference(reference));
    return selectors.get(reference);
  };
  return {
    text,
    kind: 'json',
    match(message) {
      if (required && !message.includes('\\u') && !required.some((t) => message.includes(t))) return undefined;
      let document: unknown;
      try {
        document = JSON.parse(message);
      } catch {
        return undefined;
      }
      if (document === null || typeof document !== 'object' || !evaluateJson(expr, document)) return undefined;
      return {
        extractedValues: NO_VALUES,
        value(reference) {
          const steps = selector(reference);
          const found = steps ? resolveSelector(document, steps)[0] : undefined;
          return typeof found === 'string' || typeof found === 'number' || typeof found === 'boolean' ? found : undefined;
        },
      };
    },
    canReference: (reference) => selector(reference) !== undefined,
  };
}

function delimitedPattern(text: string): FilterPattern {
  const fields = parseDelimitedPattern(text);
  const names = new Set(fields.flatMap((f) => (f.kind === 'field' && f.name !== undefined ? [`$${f.name}`] : [])));
  return {
    text,
    kind: 'delimited',
    match(message) {
      const extractedValues = matchDelimited(fields, message);
      return extractedValues && { extractedValues, value: (reference) => extractedValues[reference] };
    },
    canReference: (reference) => names.has(reference) || /^\$\d+$/.test(reference),
  };
}

function termPattern(text: string): FilterPattern {
  const terms = parseTermPattern(text);
  const matched: FilterMatch = { extractedValues: NO_VALUES, value: () => undefined };
  return {
    text,
    kind: 'terms',
    match: (message) => (matchTerms(terms, message) ? matched : undefined),
    canReference: () => false,
  };
}

/** Compiles a filter pattern; throws FilterPatternError when it breaks the grammar. */
export function compileFilterPattern(pattern: string): FilterPattern {
  const text = pattern.trim();
  if (text.startsWith('{')) return jsonPattern(text);
  if (text.startsWith('[')) return delimitedPattern(text);
  if (text.startsWith('}') || text.startsWith(']')) throw new FilterPatternError(`unbalanced ${text.charAt(0)}`);
  return termPattern(text);
}
