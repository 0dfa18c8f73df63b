import { createHash } from 'node:crypto';

// Same name, same GUID: demo ids stay stable from run to run without a table of literals.
export function guidFromName(name: string): string {
  return formatGuid(createHash('sha256').update(name).digest('hex'));
}

// mulberry32: tiny, fast and good enough to make a reproducible world from a seed.
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  // Table lookups instead of toString(16): a generated world needs hundreds of thousands of these.
  guid(): string {
    return formatGuid(hex32(this.nextUint32()) + hex32(this.nextUint32()) + hex32(this.nextUint32()) + hex32(this.nextUint32()));
  }
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex32(value: number): string {
  return HEX[value >>> 24] + HEX[(value >>> 16) & 255] + HEX[(value >>> 8) & 255] + HEX[value & 255];
}

// Version-4 layout, like the GUIDs Entra hands out.
function formatGuid(hex: string): string {
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

// Scenario dates are relative to the day the scenario is built (UTC midnight), so "bought 3 days ago"
// stays true whenever the emulator runs, and two builds on the same day are identical.
export function dayAnchor(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}
