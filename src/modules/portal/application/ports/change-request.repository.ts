import type { ChangeRequest, ChangeStatus } from '../../domain/change-request';

// Every method takes the organization, except the scheduled job's look for due work across organizations.
// Writes join the caller's transaction.
export abstract class ChangeRequestRepository {
  // Throws a unique violation when the subscription already has an open request.
  abstract add(request: ChangeRequest): Promise<void>;
  abstract find(organizationId: string, id: string): Promise<ChangeRequest | null>;
  // Saves only if the stored request still has `expectedStatus` (someone else may have decided first).
  abstract update(request: ChangeRequest, expectedStatus: ChangeStatus): Promise<boolean>;
  // Newest first.
  abstract ofTenant(organizationId: string, tenantId: string, limit: number): Promise<ChangeRequest[]>;
  // Pending, scheduled and applying, oldest first.
  abstract open(organizationId: string): Promise<ChangeRequest[]>;
  // Requested, decided or completed since `since`, and everything still pending.
  abstract activitySince(organizationId: string, since: Date): Promise<ChangeRequest[]>;
  // Scheduled ones whose day has come, and applying ones untouched since `staleBefore` (their outcome was open).
  abstract due(now: Date, staleBefore: Date, limit: number): Promise<ChangeRequest[]>;
}
