/**
 * @module
 * The model's constraints on input that every service shares: required members must be present.
 * Messages follow Coral's wording, with member paths in lowerCamelCase.
 */
import type { Shape } from '../protocol/model.js';

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** The constraint messages for required members missing anywhere in `value` (empty when none). */
export function missingRequired(shape: Shape, value: unknown, path = ''): string[] {
  if (value === undefined || value === null) return [];
  const messages: string[] = [];
  if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    for (const member of shape.members) {
      const memberPath = path ? `${path}.${lowerFirst(member.name)}` : lowerFirst(member.name);
      const present = record[member.name];
      if ((present === undefined || present === null) && shape.required.has(member.name)) {
        messages.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      messages.push(...missingRequired(member.shape, present, memberPath));
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => messages.push(...missingRequired(shape.member!.shape, item, `${path}.${i + 1}.member`)));
  }
  return messages;
}
