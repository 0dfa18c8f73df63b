import { type EventOutbox, integrationEvent } from '../../../shared/application/integration-event';
import { IMPORT_FINISHED, type ImportFinishedPayload } from '../events';
import { type ImportRepository } from './ports/import.repository';

// Called in the transaction that finished a run: tells the licensing module what the run covered.
export async function announceImportFinished(
  imports: ImportRepository,
  outbox: EventOutbox,
  organizationId: string,
  runId: string,
  now: Date,
): Promise<void> {
  const report = await imports.finishedRunReport(organizationId, runId);
  if (report) outbox.publish(integrationEvent<ImportFinishedPayload>(IMPORT_FINISHED, organizationId, report, now));
}
