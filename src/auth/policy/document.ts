/**
 * @module
 * Policy documents: parsing and validating the JSON grammar of IAM policies, with IAM's own
 * MalformedPolicyDocument messages, into a compiled form the evaluator walks quickly.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import { compileWildcard, type Matcher } from './wildcard.js';

/** What a policy is attached to decides which elements it must and must not have. */
export type PolicyKind = 'identity' | 'managed' | 'resource' | 'trust';

/** A policy document that breaks the grammar; the message is IAM's. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Who a resource-based statement is about. */
export interface PrincipalSpec {
  /** `"*"` or `{"AWS": "*"}`: everyone. */
  readonly everyone: boolean;
  /** AWS principals as ARNs (account ids become `arn:aws:iam::<id>:root`). */
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
}

/** The condition operators IAM knows, without ...IfExists and set prefixes. */
export const CONDITION_OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

/** One `Operator: { key: values }` test of a Condition block. */
export interface ConditionClause {
  /** The base operator, e.g. `StringLike`. */
  readonly operator: string;
  readonly ifExists: boolean;
  readonly set?: 'ForAllValues' | 'ForAnyValue';
  /** The context key, lower-cased (keys are case-insensitive). */
  readonly key: string;
  readonly values: readonly string[];
}

/** A compiled Action or NotAction list, indexed by service prefix (AWS managed policies list thousands). */
export interface ActionSet {
  readonly patterns: readonly string[];
  test(action: string): boolean;
}

/** Compiles an action list: exact names in a set per service, wildcards per service, the rest scanned. */
export function compileActions(patterns: readonly string[]): ActionSet {
  const exact = new Set<string>();
  const byService = new Map<string, Matcher[]>();
  const loose: Matcher[] = [];
  let any = false;
  for (const pattern of patterns) {
    if (pattern === '*') any = true;
    const colon = pattern.indexOf(':');
    const service = pattern.slice(0, colon).toLowerCase();
    const name = pattern.slice(colon + 1);
    if (colon < 0 || /[*?]/.test(service)) loose.push(compileWildcard(pattern, true));
    else if (!/[*?]/.test(name)) exact.add(pattern.toLowerCase());
    else byService.set(service, [...(byService.get(service) ?? []), compileWildcard(name, true)]);
  }
  return {
    patterns,
    test(action: string): boolean {
      if (any) return true;
      const lower = action.toLowerCase();
      if (exact.has(lower)) return true;
      const colon = lower.indexOf(':');
      const wildcards = byService.get(lower.slice(0, colon));
      if (wildcards) {
        const name = action.slice(colon + 1);
        for (const m of wildcards) if (m.test(name)) return true;
      }
      for (const m of loose) if (m.test(action)) return true;
      return false;
    },
  };
}

/** A resource pattern: compiled now, or (with policy variables) after substitution. */
export interface ResourcePattern {
  readonly text: string;
  readonly matcher?: Matcher;
}

/** A compiled statement. */
export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: ActionSet;
  readonly notActions?: ActionSet;
  readonly resources?: readonly ResourcePattern[];
  readonly notResources?: readonly ResourcePattern[];
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly conditions: readonly ConditionClause[];
}

/** A compiled policy. */
export interface Policy {
  readonly version: string;
  /** Policy variables are substituted only in 2012-10-17 policies. */
  readonly variables: boolean;
  readonly statements: readonly Statement[];
}

const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const SYNTAX = 'Syntax errors in policy.';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function syntax(ok: boolean): void {
  if (!ok) throw new PolicyError(SYNTAX);
}

function stringList(value: Json | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  syntax(Array.isArray(value) && value.every((v) => typeof v === 'string'));
  return value as string[];
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; undefined for an unknown operator. */
export function parseOperator(name: string): Pick<ConditionClause, 'operator' | 'ifExists' | 'set'> | undefined {
  let rest = name;
  let set: ConditionClause['set'];
  for (const prefix of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (!CONDITION_OPERATORS.has(rest) || (ifExists && rest === 'Null')) return undefined;
  return { operator: rest, ifExists, set };
}

function conditionValues(value: Json): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    syntax(typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number');
    return String(v);
  });
}

function parseConditions(block: Json | undefined): ConditionClause[] {
  if (block === undefined) return [];
  syntax(isObject(block));
  const clauses: ConditionClause[] = [];
  for (const [operatorName, tests] of Object.entries(block as Record<string, Json>)) {
    syntax(isObject(tests));
    const entries = Object.entries(tests as Record<string, Json>);
    const parsed = parseOperator(operatorName);
    if (!parsed) {
      syntax(entries.length === 0);
      continue;
    }
    for (const [key, values] of entries) clauses.push({ ...parsed, key: key.toLowerCase(), values: conditionValues(values) });
  }
  return clauses;
}

function parsePrincipal(value: Json | undefined): PrincipalSpec | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return { everyone: true, aws: [], service: [], federated: [] };
  syntax(isObject(value));
  const record = value as Record<string, Json>;
  syntax(Object.keys(record).every((k) => PRINCIPAL_KEYS.has(k)));
  const aws = (stringList(record.AWS) ?? []).map((p) => (/^\d{12}$/.test(p) ? `arn:aws:iam::${p}:root` : p));
  return {
    everyone: aws.includes('*'),
    aws: aws.filter((p) => p !== '*'),
    service: stringList(record.Service) ?? [],
    federated: stringList(record.Federated) ?? [],
  };
}

function checkAction(action: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length === 1) throw new PolicyError('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if (parts.length > 2) throw new PolicyError('Actions/Condition can contain only one colon.');
  if (/[^a-zA-Z0-9\-.]/.test(parts[0]!)) throw new PolicyError(`Vendor ${parts[0]} is not valid`);
}

function checkResource(resource: string): void {
  if (resource === '*' || resource.startsWith('arn:')) {
    if (resource !== '*' && resource.split(':').length < 6) throw new PolicyError('The policy failed legacy parsing');
    return;
  }
  throw new PolicyError(`Resource ${resource} must be in ARN format or "*".`);
}

function resourcePatterns(list: string[] | undefined): ResourcePattern[] | undefined {
  return list?.map((text) => (text.includes('${') ? { text } : { text, matcher: compileWildcard(text, false) }));
}

/**
 * Parses and validates a policy document of a kind, in the order IAM checks: JSON and element
 * syntax, version, statement ids, actions, resources, principals, action and resource formats.
 * Throws a PolicyError with IAM's message.
 */
export function parsePolicy(text: string, kind: PolicyKind): Policy {
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    throw new PolicyError(SYNTAX);
  }
  syntax(isObject(json));
  const top = json as Record<string, Json>;
  syntax(Object.keys(top).every((k) => TOP_KEYS.has(k)) && top.Statement !== undefined);
  const rawStatements = Array.isArray(top.Statement) ? top.Statement : [top.Statement!];
  syntax(rawStatements.length > 0 && rawStatements.every(isObject));
  const version = top.Version;
  syntax(version === undefined || version === '2012-10-17' || version === '2008-10-17');
  const raw = rawStatements as Record<string, Json>[];
  const statements = raw.map((st) => {
    syntax(Object.keys(st).every((k) => STATEMENT_KEYS.has(k)));
    syntax(st.Effect === 'Allow' || st.Effect === 'Deny');
    syntax(!(st.Action !== undefined && st.NotAction !== undefined) && !(st.Resource !== undefined && st.NotResource !== undefined));
    syntax(st.Sid === undefined || typeof st.Sid === 'string');
    return {
      sid: st.Sid as string | undefined,
      effect: st.Effect as 'Allow' | 'Deny',
      actions: stringList(st.Action),
      notActions: stringList(st.NotAction),
      resources: stringList(st.Resource),
      notResources: stringList(st.NotResource),
      principal: parsePrincipal(st.Principal),
      notPrincipal: parsePrincipal(st.NotPrincipal),
      conditions: parseConditions(st.Condition),
    };
  });
  if (kind === 'managed' && version !== '2012-10-17') throw new PolicyError('Policy document must be version 2012-10-17 or greater.');
  const sids = statements.flatMap((s) => (s.sid ? [s.sid] : []));
  if (new Set(sids).size !== sids.length) throw new PolicyError('Statement IDs (SID) in a single policy must be unique.');
  for (const st of statements) {
    if (!st.actions && !st.notActions) throw new PolicyError('Policy statement must contain actions.');
    const hasResource = st.resources !== undefined || st.notResources !== undefined;
    const hasPrincipal = st.principal !== undefined || st.notPrincipal !== undefined;
    if (kind === 'identity' || kind === 'managed') {
      if (hasPrincipal) throw new PolicyError('Policy document should not specify a principal.');
      if (!hasResource) throw new PolicyError('Policy statement must contain resources.');
    } else {
      if (!hasPrincipal) throw new PolicyError('Missing required field Principal');
      if (kind === 'trust' && hasResource) throw new PolicyError('Has prohibited field Resource.');
    }
  }
  for (const st of statements) {
    for (const action of [...(st.actions ?? []), ...(st.notActions ?? [])]) checkAction(action);
    if (kind === 'trust' && (st.notActions || st.actions!.some((a) => !a.toLowerCase().startsWith('sts:')))) {
      throw new PolicyError('AssumeRole policy may only specify STS AssumeRole actions.');
    }
    for (const resource of [...(st.resources ?? []), ...(st.notResources ?? [])]) checkResource(resource);
  }
  return {
    version: (version as string | undefined) ?? '2008-10-17',
    variables: version === '2012-10-17',
    statements: statements.map((st) => ({
      ...st,
      actions: st.actions && compileActions(st.actions),
      notActions: st.notActions && compileActions(st.notActions),
      resources: resourcePatterns(st.resources),
      notResources: resourcePatterns(st.notResources),
    })),
  };
}

/** The size IAM counts against policy size quotas: the document without whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}
