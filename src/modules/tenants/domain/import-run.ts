export type ImportRunStatus = 'listing' | 'reading' | 'completed' | 'failed';

// One import of a delegated admin's customers: Partner Center's customer list first, then every tenant.
export interface ImportRun {
  id: string;
  organizationId: string;
  delegatedAdminId: string;
  trigger: 'consent' | 'manual' | 'retry' | 'schedule';
  status: ImportRunStatus;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  startedAt: Date;
  listedAt: Date | null;
  finishedAt: Date | null;
}

export function isRunning(run: Pick<ImportRun, 'status'>): boolean {
  return run.status === 'listing' || run.status === 'reading';
}
