/**
 * @module
 * Availability zones: every region has three, `<region>a`, `b` and `c`, with zone ids in AWS's
 * form (`use1-az1`).
 */

const ZONE_LETTERS = ['a', 'b', 'c'];
const DIRECTIONS: Record<string, string> = {
  east: 'e', west: 'w', north: 'n', south: 's', central: 'c', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};

/** The availability zones of a region. */
export function regionZones(region: string): string[] {
  return ZONE_LETTERS.map((letter) => `${region}${letter}`);
}

/** The zone id of a zone (`us-east-1a` → `use1-az1`). */
export function zoneId(zone: string): string {
  const region = zone.slice(0, -1);
  const [area = '', direction = '', number = ''] = region.split('-');
  return `${area}${DIRECTIONS[direction] ?? direction.charAt(0)}${number}-az${ZONE_LETTERS.indexOf(zone.slice(-1)) + 1}`;
}
