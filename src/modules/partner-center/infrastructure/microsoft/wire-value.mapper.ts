import { parseMicrosoftDateTime } from '../../../../../libs/microsoft/src';

// Small readers shared by the mappers. Microsoft adds fields, leaves out ones it considers empty, and its own
// samples carry placeholders ("<guid>") and odd dates; none of that may crash an import of thousands of tenants.

// A body Microsoft sent whose shape we cannot use at all (an item without its id): the mapper says what is
// missing, the adapter turns it into a plain-language error.
export class UnexpectedWireShapeError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'UnexpectedWireShapeError';
  }
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

// GUIDs are compared across sources (Partner Center, Graph, our database): one spelling, lower case.
export function lowerGuidOrText(value: unknown): string | undefined {
  return text(value)?.toLowerCase();
}

// Partner Center and Graph leave out counts they consider zero (FACTS.md §2.7, §3.2).
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

// Partner Center's documented subscription sample prints "2015-11-25T06: 41: 12Z" and Graph sends 7 fractional
// digits (FACTS.md §2.6, §3.6); parseMicrosoftDateTime reads both. What it cannot read is unknown, not a crash.
export function isoDateTime(value: unknown): string | null {
  return parseMicrosoftDateTime(typeof value === 'string' ? value : undefined)?.toISOString() ?? null;
}
