import { ApiKeyNameInvalidError, ApiKeyScopeRequiredError } from './api-key.errors';

const MAX_NAME_LENGTH = 80;

export interface StaffMember {
  userId: string;
  name: string;
}

// A credential a partner's system uses to call the partner API on behalf of one organization, limited to its
// scopes. Revoked keys are kept (not deleted) so the list and the audit log can still name them.
export class ApiKey {
  id: string;
  organizationId: string;
  // The part of the key that finds this row; the rest of the key is never stored.
  publicId: string;
  secretHash: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  createdByUserId: string;
  createdByName: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedByUserId: string | null;
  revokedByName: string | null;

  static issue(input: {
    id: string;
    organizationId: string;
    publicId: string;
    secretHash: string;
    name: string;
    scopes: readonly string[];
    createdBy: StaffMember;
    now: Date;
  }): ApiKey {
    const name = input.name.trim();
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) throw new ApiKeyNameInvalidError(MAX_NAME_LENGTH);
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw new ApiKeyScopeRequiredError();
    const key = new ApiKey();
    Object.assign(key, {
      id: input.id,
      organizationId: input.organizationId,
      publicId: input.publicId,
      secretHash: input.secretHash,
      name,
      scopes,
      createdAt: input.now,
      createdByUserId: input.createdBy.userId,
      createdByName: input.createdBy.name,
      lastUsedAt: null,
      revokedAt: null,
      revokedByUserId: null,
      revokedByName: null,
    });
    return key;
  }

  isActive(): boolean {
    return this.revokedAt === null;
  }

  allows(scope: string): boolean {
    return this.isActive() && this.scopes.includes(scope);
  }

  // Returns false when the key was already revoked (the first revocation is the one on record).
  revoke(by: StaffMember, now: Date): boolean {
    if (!this.isActive()) return false;
    this.revokedAt = now;
    this.revokedByUserId = by.userId;
    this.revokedByName = by.name;
    return true;
  }
}
