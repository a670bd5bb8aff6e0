/**
 * @module
 * requestParameters and responseElements: a call's input and output as CloudTrail shows them.
 * Member names become lowerCamelCase, dates take the form AWS's Java services print, blobs and
 * streams are left out, and sensitive members are hidden (inputs) or dropped (outputs). EC2 uses its
 * XML names, wraps lists in `{items: [...]}` (a list of strings as `{items: [{<name>: value}]}`, an
 * empty list as `{}`) and writes dates as epoch milliseconds.
 */
import type { Member, Shape } from '../protocol/model.js';

/** Shown in place of a sensitive input value. */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** How a service's records name members and lists. */
export type AuditStyle = 'default' | 'ec2';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A date as AWS's Java services print it in records: `Jul 10, 2023 12:23:05 PM` (UTC). */
export function auditDate(date: Date): string {
  const hours = date.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${h12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function auditName(member: Member, style: AuditStyle): string {
  return lowerFirst(style === 'ec2' ? (member.locationName ?? member.name) : member.name);
}

function ec2Items(items: unknown[]): unknown {
  return items.length ? { items } : {};
}

function isScalarList(shape: Shape): boolean {
  return shape.type === 'list' && !['structure', 'list', 'map'].includes(shape.member!.shape.type);
}

/**
 * Converts a shaped value for a record. `hide` says what happens to sensitive members:
 * 'mask' replaces them with HIDDEN, 'drop' leaves them out.
 */
export function auditValue(shape: Shape, value: unknown, style: AuditStyle, hide: 'mask' | 'drop'): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const member of shape.members) {
        const raw = source[member.name];
        if (raw === undefined || raw === null) continue;
        if (member.sensitive || member.shape.sensitive) {
          if (hide === 'mask') out[auditName(member, style)] = HIDDEN;
          continue;
        }
        const name = auditName(member, style);
        const converted = style === 'ec2' && isScalarList(member.shape)
          ? ec2Items((raw as unknown[]).map((item) => ({ [name]: auditValue(member.shape.member!.shape, item, style, hide) ?? null })))
          : auditValue(member.shape, raw, style, hide);
        if (converted !== undefined) out[name] = converted;
      }
      return out;
    }
    case 'list': {
      const items = (value as unknown[]).map((item) => auditValue(shape.member!.shape, item, style, hide) ?? null);
      return style === 'ec2' ? ec2Items(items) : items;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = auditValue(shape.value!.shape, v, style, hide) ?? null;
      return out;
    }
    case 'timestamp': {
      const date = value instanceof Date ? value : typeof value === 'number' ? new Date(value) : typeof value === 'string' ? new Date(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) return value;
      return style === 'ec2' ? date.getTime() : auditDate(date);
    }
    case 'blob':
      return undefined;
    default:
      return value;
  }
}
