// When the automatic syncs run (tests shorten the waits).
export class PsaSyncOptions {
  // After the daily reconciliation: billing recomputes the approved invoice while handling the same event, so the
  // sync waits for that to commit.
  afterReconciliationSeconds = 20;
  // After a change of the invoice preview (a profile, an approval): changes made together are synced together.
  afterPreviewChangeSeconds = 10;
}
