// Every write the emulator was asked for (POST/PUT/PATCH/DELETE below /apis/3.0), in order: what a test asserts
// "exactly one addition changed" or "nothing written twice" against.
export interface JournalEntry {
  seq: number;
  at: string; // emulator clock, ISO
  method: string;
  path: string; // below /apis/3.0, e.g. /finance/agreements/101/additions/1004
  resource: 'addition' | 'other';
  agreementId?: number;
  additionId?: number;
  status: number;
  // applied: the record changed; refused: ConnectWise answered an error (validation, not found…); faulted: an
  // injected fault or the rate limit answered before the handler ran.
  outcome: 'applied' | 'refused' | 'faulted';
  request?: unknown; // the body as sent (never credentials)
  before?: unknown;
  after?: unknown;
}

export class Journal {
  private entries: JournalEntry[] = [];
  private seq = 0;

  record(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    return full;
  }

  list(sinceSeq = 0): JournalEntry[] {
    return this.entries.filter((entry) => entry.seq > sinceSeq).map((entry) => structuredClone(entry));
  }

  // The writes that changed something: what "exactly one addition changed" counts.
  applied(sinceSeq = 0): JournalEntry[] {
    return this.list(sinceSeq).filter((entry) => entry.outcome === 'applied');
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }

  restore(entries: JournalEntry[]): void {
    this.entries = structuredClone(entries);
    this.seq = entries.reduce((max, entry) => Math.max(max, entry.seq), 0);
  }
}
