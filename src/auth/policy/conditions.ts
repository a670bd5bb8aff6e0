/**
 * @module
 * Condition operators and policy variables, evaluated against a request's context keys.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import { BlockList, isIP } from 'node:net';
import type { ConditionClause } from './document.js';
import { appendGlob, matchesArn, matchesGlob, matchesWildcard, type GlobCodes, type Matcher } from './wildcard.js';

/** A context key's value: one string, or several for multivalued keys (aws:TagKeys). */
export type ContextValue = string | readonly string[];

/** Looks up a context key by its lower-cased name. */
export type ContextLookup = (key: string) => ContextValue | undefined;

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Substitutes policy variables (`${aws:username}`, `${*}`, `${?}`, `${$}`, and defaults
 * `${aws:username, 'anonymous'}`). Returns undefined when a variable has no value and no default:
 * the text then matches nothing.
 */
export function substitute(text: string, lookup: ContextLookup): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const result = text.replace(VARIABLE, (_m, inner: string) => {
    const [name, fallback] = splitDefault(inner);
    if (name === '*' || name === '?' || name === '$') return name;
    const value = lookup(name.toLowerCase());
    if (typeof value === 'string') return value;
    if (fallback !== undefined) return fallback;
    missing = true;
    return '';
  });
  return missing ? undefined : result;
}

/**
 * Compiles a wildcard pattern that holds policy variables: the variables' values (and `${*}`,
 * `${?}`, `${$}`) match literally, the rest of the text as wildcards. Undefined when a variable
 * has no value and no default.
 */
export function compileWithVariables(text: string, lookup: ContextLookup, ignoreCase: boolean): Matcher | undefined {
  const codes: GlobCodes = [];
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    appendGlob(codes, fold(text.slice(last, m.index), ignoreCase), false);
    const [name, fallback] = splitDefault(m[1]!);
    const value = name === '*' || name === '?' || name === '$' ? name : lookup(name.toLowerCase());
    const literal = typeof value === 'string' ? value : fallback;
    if (literal === undefined) return undefined;
    appendGlob(codes, fold(literal, ignoreCase), true);
    last = m.index + m[0].length;
  }
  appendGlob(codes, fold(text.slice(last), ignoreCase), false);
  return { pattern: text, test: (value) => matchesGlob(codes, fold(value, ignoreCase)) };
}

function fold(text: string, ignoreCase: boolean): string {
  return ignoreCase ? text.toLowerCase() : text;
}

function splitDefault(inner: string): [string, string | undefined] {
  const comma = inner.indexOf(',');
  if (comma < 0) return [inner.trim(), undefined];
  const fallback = /^\s*'([^']*)'\s*$/.exec(inner.slice(comma + 1));
  return [inner.slice(0, comma).trim(), fallback?.[1]];
}

function parseDate(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseNumber(text: string): number | undefined {
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) return undefined;
  return Number(text);
}

function ipMatches(cidr: string, ip: string): boolean {
  const family = isIP(ip);
  if (!family) return false;
  const [address, bits] = cidr.split('/');
  const cidrFamily = isIP(address ?? '');
  if (!cidrFamily || cidrFamily !== family) return false;
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(address!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

type Compare = (policy: string, request: string) => boolean;

function numeric(test: (a: number, b: number) => boolean): Compare {
  return (policy, request) => {
    const p = parseNumber(policy);
    const r = parseNumber(request);
    return p !== undefined && r !== undefined && test(r, p);
  };
}

function date(test: (a: number, b: number) => boolean): Compare {
  return (policy, request) => {
    const p = parseDate(policy);
    const r = parseDate(request);
    return p !== undefined && r !== undefined && test(r, p);
  };
}

/** Each operator as a positive test, and whether the operator is its negation. */
const OPERATORS: Record<string, { compare: Compare; negated: boolean }> = {
  StringEquals: { compare: (p, r) => p === r, negated: false },
  StringNotEquals: { compare: (p, r) => p === r, negated: true },
  StringEqualsIgnoreCase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: true },
  StringLike: { compare: (p, r) => matchesWildcard(p, r, false), negated: false },
  StringNotLike: { compare: (p, r) => matchesWildcard(p, r, false), negated: true },
  NumericEquals: { compare: numeric((a, b) => a === b), negated: false },
  NumericNotEquals: { compare: numeric((a, b) => a === b), negated: true },
  NumericLessThan: { compare: numeric((a, b) => a < b), negated: false },
  NumericLessThanEquals: { compare: numeric((a, b) => a <= b), negated: false },
  NumericGreaterThan: { compare: numeric((a, b) => a > b), negated: false },
  NumericGreaterThanEquals: { compare: numeric((a, b) => a >= b), negated: false },
  DateEquals: { compare: date((a, b) => a === b), negated: false },
  DateNotEquals: { compare: date((a, b) => a === b), negated: true },
  DateLessThan: { compare: date((a, b) => a < b), negated: false },
  DateLessThanEquals: { compare: date((a, b) => a <= b), negated: false },
  DateGreaterThan: { compare: date((a, b) => a > b), negated: false },
  DateGreaterThanEquals: { compare: date((a, b) => a >= b), negated: false },
  Bool: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  BinaryEquals: { compare: (p, r) => p === r, negated: false },
  IpAddress: { compare: ipMatches, negated: false },
  NotIpAddress: { compare: ipMatches, negated: true },
  ArnEquals: { compare: matchesArn, negated: false },
  ArnLike: { compare: matchesArn, negated: false },
  ArnNotEquals: { compare: matchesArn, negated: true },
  ArnNotLike: { compare: matchesArn, negated: true },
};

/** Whether one request value passes the operator against the policy's values (any of them). */
function valuePasses(compare: Compare, negated: boolean, policyValues: readonly string[], request: string): boolean {
  const hit = policyValues.some((p) => compare(p, request));
  return negated ? !hit : hit;
}

function policyValues(clause: ConditionClause, lookup: ContextLookup, variables: boolean): string[] {
  if (!variables) return [...clause.values];
  return clause.values.flatMap((v) => {
    const s = substitute(v, lookup);
    return s === undefined ? [] : [s];
  });
}

/** Whether one condition clause holds for the request context. */
export function clauseHolds(clause: ConditionClause, lookup: ContextLookup, variables: boolean): boolean {
  const raw = lookup(clause.key);
  const requestValues = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  const present = raw !== undefined && !(Array.isArray(raw) && raw.length === 0);
  if (clause.operator === 'Null') {
    return clause.values.some((v) => (v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' ? present : false));
  }
  const { negated } = OPERATORS[clause.operator]!;
  let { compare } = OPERATORS[clause.operator]!;
  let values: string[];
  if (variables && (clause.operator === 'StringLike' || clause.operator === 'StringNotLike') && clause.values.some((v) => v.includes('${'))) {
    const matchers = clause.values.flatMap((v) => compileWithVariables(v, lookup, false) ?? []);
    values = matchers.map((_, i) => String(i));
    compare = (p, r) => matchers[Number(p)]!.test(r);
  } else {
    values = policyValues(clause, lookup, variables);
  }
  if (clause.set === 'ForAllValues') return requestValues.every((r) => valuePasses(compare, negated, values, r));
  if (clause.set === 'ForAnyValue') return requestValues.some((r) => valuePasses(compare, negated, values, r));
  if (!present) return clause.ifExists || negated;
  return negated
    ? requestValues.every((r) => valuePasses(compare, true, values, r))
    : requestValues.some((r) => valuePasses(compare, false, values, r));
}

/** Whether every clause of a statement's Condition block holds. */
export function conditionsHold(clauses: readonly ConditionClause[], lookup: ContextLookup, variables: boolean): boolean {
  for (const clause of clauses) {
    if (!clauseHolds(clause, lookup, variables)) return false;
  }
  return true;
}
