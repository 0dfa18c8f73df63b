import type { Exclusion } from '../../domain';

export interface StoredExclusion extends Exclusion {
  createdAt: Date;
  createdByName: string;
}

// The partner's reconciliation settings: exclusions, and the daily schedule (its time zone and time). Every
// method takes the organization. Writes join the caller's transaction.
export abstract class ExclusionsRepository {
  // What the reconciliation applies to its next run.
  abstract list(organizationId: string): Promise<Exclusion[]>;
  abstract find(organizationId: string, id: string): Promise<StoredExclusion | null>;
  abstract add(organizationId: string, exclusion: StoredExclusion): Promise<void>;
  // False when there was no such exclusion (already removed).
  abstract remove(organizationId: string, id: string): Promise<boolean>;
  // Sets the time zone and time of the daily run; when it last ran stays as it is.
  abstract saveSchedule(organizationId: string, schedule: { timeZone: string; runAt: string }): Promise<void>;
}
