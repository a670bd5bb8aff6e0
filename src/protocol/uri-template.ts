/**
 * @module
 * Routing REST requests (restXml, restJson1) to operations by HTTP method and the operation's
 * `http.requestUri` template: literal segments, labels `{Name}`, greedy labels `{Key+}` and
 * literal query keys (`?uploads`, `?list-type=2`). The `x-id` literal the SDKs add is not a
 * routing condition (the CLI does not send it); it only breaks ties.
 */
import type { Operation, ServiceModel, Shape } from './model.js';

/** One path segment of a template. */
export type TemplateSegment = { readonly literal: string } | { readonly label: string; readonly greedy: boolean };

/** A parsed `requestUri`. */
export interface UriTemplate {
  readonly segments: readonly TemplateSegment[];
  /** Literal query keys and, where the template fixes one, their value. */
  readonly query: ReadonlyMap<string, string | undefined>;
  /** The `x-id` literal, when the template has one. */
  readonly xId?: string;
  readonly greedy: boolean;
}

/** Parses a `requestUri` template. */
export function parseUriTemplate(requestUri: string): UriTemplate {
  const [path = '', queryText = ''] = requestUri.split('?', 2);
  const segments: TemplateSegment[] = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
      return m ? { label: m[1]!, greedy: m[2] === '+' } : { literal: s };
    });
  const query = new Map<string, string | undefined>();
  let xId: string | undefined;
  for (const part of queryText.split('&').filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? undefined : part.slice(eq + 1);
    if (key === 'x-id') xId = value;
    else query.set(key, value);
  }
  return { segments, query, xId, greedy: segments.some((s) => 'greedy' in s && s.greedy) };
}

/** Percent-decodes one path piece, keeping it as sent when it is not valid percent-encoding. */
export function decodePathPart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Matches a raw (still percent-encoded) path against a template's segments. Returns the decoded
 * labels, or undefined when the path does not fit. A greedy label takes one or more segments,
 * slashes included, and may be followed by literal segments only.
 */
export function matchPath(segments: readonly TemplateSegment[], rawPath: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let rest = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ('greedy' in segment && segment.greedy) {
      const suffix = segments.slice(i + 1).map((s) => ('literal' in s ? s.literal : '')).join('/');
      if (suffix !== '') {
        if (!rest.endsWith(`/${suffix}`)) return undefined;
        rest = rest.slice(0, -(suffix.length + 1));
      }
      if (rest === '') return undefined;
      labels[segment.label] = decodePathPart(rest);
      return labels;
    }
    if (rest === '') return undefined;
    const slash = rest.indexOf('/');
    const piece = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? '' : rest.slice(slash + 1);
    if (piece === '') return undefined;
    if ('literal' in segment) {
      if (piece !== segment.literal && decodePathPart(piece) !== segment.literal) return undefined;
    } else {
      labels[segment.label] = decodePathPart(piece);
    }
  }
  return rest === '' ? labels : undefined;
}

/** What a REST request offers for routing. */
export interface RouteRequest {
  readonly method: string;
  /** The raw path to match (for S3, the path after the bucket). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names present on the request. */
  readonly headers: { readonly [name: string]: unknown };
}

/** A matched operation and the labels its template took from the path. */
export interface RouteMatch {
  readonly operation: Operation;
  readonly labels: Record<string, string>;
}

function requiredLocated(shape: Shape | undefined, req: RouteRequest): { present: number; missing: number } {
  let present = 0;
  let missing = 0;
  for (const member of shape?.members ?? []) {
    if (!shape!.required.has(member.name) || !member.locationName) continue;
    let found: boolean;
    if (member.location === 'querystring') found = req.query.has(member.locationName);
    else if (member.location === 'header') found = req.headers[member.locationName.toLowerCase()] !== undefined;
    else continue;
    if (found) present++;
    else missing++;
  }
  return { present, missing };
}

/** An operation with its parsed template, ready for matching. */
export interface Route {
  readonly operation: Operation;
  readonly template: UriTemplate;
  /** The number of literal path segments (more is more specific). */
  readonly literals: number;
}

/** The routes of every operation of `model` that has an HTTP binding. */
export function compileRoutes(model: ServiceModel): readonly Route[] {
  const routes: Route[] = [];
  for (const operation of model.operations.values()) {
    if (!operation.http) continue;
    const template = parseUriTemplate(operation.http.requestUri);
    routes.push({ operation, template, literals: template.segments.filter((s) => 'literal' in s).length });
  }
  return routes;
}

/**
 * A memo of compiled routes per model, for a codec instance to hold (models are immutable, so
 * the memo is never stale).
 */
export function routeCache(): (model: ServiceModel) => readonly Route[] {
  const cache = new WeakMap<ServiceModel, readonly Route[]>();
  return (model) => {
    let routes = cache.get(model);
    if (!routes) {
      routes = compileRoutes(model);
      cache.set(model, routes);
    }
    return routes;
  };
}

/**
 * The route a REST request names among `routes`, or undefined. `accept` may veto candidates (S3
 * uses it to match bucket-level operations only when the request names a bucket). When several
 * templates fit, the most specific wins: fewest missing required query/header members, then most
 * literal query keys, then most literal path segments, then most required query/header members
 * present, then no greedy label, then a matching `x-id`, then the operation name.
 */
export function resolveRoute(
  routes: readonly Route[],
  req: RouteRequest,
  accept: (operation: Operation) => boolean = () => true,
): RouteMatch | undefined {
  let best: { match: RouteMatch; rank: number[] } | undefined;
  for (const { operation, template, literals } of routes) {
    if (operation.http!.method !== req.method || !accept(operation)) continue;
    let queryOk = true;
    for (const [key, value] of template.query) {
      if (!req.query.has(key) || (value !== undefined && req.query.get(key) !== value)) queryOk = false;
    }
    if (!queryOk) continue;
    const labels = matchPath(template.segments, req.path);
    if (!labels) continue;
    const { present, missing } = requiredLocated(operation.input, req);
    const xId = template.xId !== undefined && req.query.get('x-id') === template.xId ? 1 : 0;
    const rank = [-missing, template.query.size, literals, present, template.greedy ? 0 : 1, xId];
    if (!best || isBetter(rank, best.rank, operation.name, best.match.operation.name)) {
      best = { match: { operation, labels }, rank };
    }
  }
  return best?.match;
}

function isBetter(rank: number[], other: number[], name: string, otherName: string): boolean {
  for (let i = 0; i < rank.length; i++) {
    if (rank[i] !== other[i]) return rank[i]! > other[i]!;
  }
  return name < otherName;
}
