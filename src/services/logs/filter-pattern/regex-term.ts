/**
 * @module
 * Regular-expression terms (`%...%`) in CloudWatch Logs' own dialect: letters, digits, the symbols
 * `: _ # = @ / ; , -` and spaces, the operators `^ $ ? [ ] { } | \ * + .`, and the escapes
 * `\d \D \s \S \w \W \xhh` or a backslash before an operator or symbol. No parentheses, no
 * multi-byte characters. Such a source is also valid JavaScript with the same meaning.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#regex-expressions
 */
import { FilterPatternError } from './scanner.js';

const PLAIN = /^[A-Za-z0-9:_#=@/;,\- ^$?[\]{}|*+.]$/;
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const ESCAPABLE = new Set([...':_#=@/;,-^$?[]{}|\\*+.']);

/** AWS's message for a regex outside the dialect. */
export const INVALID_TERM = 'Invalid character(s) in term';

/** Checks a regex term's source against the dialect and compiles it; throws FilterPatternError. */
export function compileRegexTerm(source: string): RegExp {
  if (source === '') throw new FilterPatternError('empty regular expression', INVALID_TERM);
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === '\\') {
      const next = source.charAt(i + 1);
      if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 2, i + 4))) {
        i += 3;
      } else if (CLASS_ESCAPES.has(next) || ESCAPABLE.has(next)) {
        i += 1;
      } else {
        throw new FilterPatternError(`unsupported escape \\${next} in %${source}%`, INVALID_TERM);
      }
    } else if (!PLAIN.test(c)) {
      throw new FilterPatternError(`unsupported character ${JSON.stringify(c)} in %${source}%`, INVALID_TERM);
    }
  }
  try {
    return new RegExp(source);
  } catch {
    throw new FilterPatternError(`malformed regular expression %${source}%`, INVALID_TERM);
  }
}
