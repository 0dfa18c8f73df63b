import type { DelegatedAdmin } from '../../domain/delegated-admin';

// Every method takes the organization: a delegated admin is only ever reached within its own organization.
export abstract class DelegatedAdminRepository {
  abstract findById(organizationId: string, id: string): Promise<DelegatedAdmin | null>;
  abstract findByAccount(organizationId: string, partnerTenantId: string, accountObjectId: string): Promise<DelegatedAdmin | null>;
  abstract listByOrganization(organizationId: string): Promise<DelegatedAdmin[]>;
  abstract add(admin: DelegatedAdmin): void;
  abstract remove(admin: DelegatedAdmin): void;
}

// The encrypted refresh token of a delegated admin. Writes join the caller's transaction.
export abstract class RefreshTokenStore {
  abstract save(organizationId: string, delegatedAdminId: string, refreshToken: string): Promise<void>;
  // Reads the newest token and holds its row until the caller's transaction ends, so refreshes of one delegated
  // admin happen one at a time across every app instance.
  abstract readForRotation(organizationId: string, delegatedAdminId: string): Promise<string | null>;
  // Reads the newest token without holding its row: for redemptions that do not store the token they get back.
  abstract read(organizationId: string, delegatedAdminId: string): Promise<string | null>;
  abstract delete(organizationId: string, delegatedAdminId: string): Promise<void>;
  // Delegated admins (across organizations) whose token was last rotated before `before`, for consent health,
  // oldest first, the page after `after` (keyset paging: entries that fail to renew do not block the rest).
  abstract listStale(before: Date, limit: number, after?: StaleToken): Promise<StaleToken[]>;
}

export interface StaleToken {
  organizationId: string;
  delegatedAdminId: string;
  rotatedAt: Date;
}
