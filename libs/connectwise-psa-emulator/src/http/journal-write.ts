import type { Request } from 'express';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import type { JournalEntry } from '../state/journal';

// Records one write request in the journal, naming the agreement and addition its path is about.
export function journal(
  state: ConnectWiseEmulatorState,
  req: Request,
  status: number,
  outcome: JournalEntry['outcome'],
  details: Partial<Pick<JournalEntry, 'request' | 'before' | 'after' | 'additionId'>>,
): void {
  const path = req.cwApiPath ?? req.path;
  const match = /^\/finance\/agreements\/(\d+)\/additions(?:\/(\d+))?/.exec(path);
  state.journal.record({
    at: new Date(state.now()).toISOString(),
    method: req.method,
    path,
    resource: match ? 'addition' : 'other',
    agreementId: match ? Number(match[1]) : undefined,
    additionId: details.additionId ?? (match?.[2] ? Number(match[2]) : undefined),
    status,
    outcome,
    ...(details.request !== undefined ? { request: structuredClone(details.request) } : {}),
    ...(details.before !== undefined ? { before: details.before } : {}),
    ...(details.after !== undefined ? { after: details.after } : {}),
  });
  if (outcome === 'applied') state.persist();
}
