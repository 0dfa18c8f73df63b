import { EventOutbox, type IntegrationEvent } from '../../../../shared/application/integration-event';
import { AuditTrail, type AuditEntryInput } from '../../../audit';
import { DelegatedAdminRepository, RefreshTokenStore, type StaleToken } from '../../application/ports/delegated-admin.repository';
import { EntraTokenEndpoint, type RedeemedToken } from '../../application/ports/entra-token-endpoint.port';
import { PartnerCenterAccessCheck, type PartnerCenterAccess } from '../../application/ports/partner-center-access.port';
import type { DelegatedAdmin } from '../../domain/delegated-admin';

// In-memory fakes of the consent module's ports, for use-case tests.
export class InMemoryDelegatedAdmins extends DelegatedAdminRepository {
  readonly rows = new Map<string, DelegatedAdmin>();
  async findById(organizationId: string, id: string) {
    const row = this.rows.get(id);
    return row?.organizationId === organizationId ? row : null;
  }
  async findByAccount(organizationId: string, partnerTenantId: string, accountObjectId: string) {
    return (
      [...this.rows.values()].find(
        (a) => a.organizationId === organizationId && a.isSameAccount({ partnerTenantId, objectId: accountObjectId }),
      ) ?? null
    );
  }
  async listByOrganization(organizationId: string) {
    return [...this.rows.values()].filter((a) => a.organizationId === organizationId);
  }
  add(admin: DelegatedAdmin) {
    this.rows.set(admin.id, admin);
  }
  remove(admin: DelegatedAdmin) {
    this.rows.delete(admin.id);
  }
}

export class InMemoryRefreshTokens extends RefreshTokenStore {
  readonly tokens = new Map<string, { organizationId: string; token: string; rotatedAt: Date }>();
  constructor(private readonly now: () => Date = () => new Date()) {
    super();
  }
  async save(organizationId: string, delegatedAdminId: string, refreshToken: string) {
    this.tokens.set(delegatedAdminId, { organizationId, token: refreshToken, rotatedAt: this.now() });
  }
  async readForRotation(organizationId: string, delegatedAdminId: string) {
    const row = this.tokens.get(delegatedAdminId);
    return row?.organizationId === organizationId ? row.token : null;
  }
  read(organizationId: string, delegatedAdminId: string) {
    return this.readForRotation(organizationId, delegatedAdminId);
  }
  async delete(_organizationId: string, delegatedAdminId: string) {
    this.tokens.delete(delegatedAdminId);
  }
  async listStale(before: Date, limit: number, after?: StaleToken) {
    const key = (t: StaleToken) => `${t.rotatedAt.toISOString()}|${t.delegatedAdminId}`;
    return [...this.tokens.entries()]
      .map(([delegatedAdminId, r]) => ({ organizationId: r.organizationId, delegatedAdminId, rotatedAt: r.rotatedAt }))
      .filter((t) => t.rotatedAt < before && (!after || key(t) > key(after)))
      .sort((a, b) => key(a).localeCompare(key(b)))
      .slice(0, limit);
  }
}

// A token endpoint that rotates tokens like Microsoft's and counts redemptions.
export class FakeEntraTokenEndpoint extends EntraTokenEndpoint {
  redemptions = 0;
  refuseWith?: Error;
  private issued = 0;
  async redeemRefreshToken(input: { tenant: string; refreshToken: string; scope: string }): Promise<RedeemedToken> {
    this.redemptions++;
    await new Promise((r) => setTimeout(r, 10));
    if (this.refuseWith) throw this.refuseWith;
    this.issued++;
    return { accessToken: `access-${this.issued}-${input.tenant}`, refreshToken: `refresh-${this.issued}`, expiresInSeconds: 3600 };
  }
}

export class FakePartnerCenterAccess extends PartnerCenterAccessCheck {
  answer: PartnerCenterAccess = { outcome: 'ok', partnerName: 'Contoso Partners' };
  async check() {
    return this.answer;
  }
}

export class RecordingOutbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>) {
    this.events.push(event);
  }
}

export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEntryInput[] = [];
  record(entry: AuditEntryInput) {
    this.entries.push(entry);
  }
}
