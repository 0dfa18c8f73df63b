import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../shared/application/actor';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { DelegatedAdminQueries } from '../../consent';
import { CustomerTenants } from '../../tenants';
import { DirectCspRequiredError, DirectCspTenantNotFoundError } from '../domain/direct-csp.errors';
import { DirectCspRepository } from './ports/direct-csp.repository';

// Switches a customer tenant's end-user self-service portal on or off (a charged add-on, Direct CSP only).
@Injectable()
export class SetSelfServicePortalUseCase {
  constructor(
    private readonly tenants: CustomerTenants,
    private readonly admins: DelegatedAdminQueries,
    private readonly settings: DirectCspRepository,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  // Returns false when the switch was already in that position (nothing recorded twice).
  async execute(input: { actor: Actor; tenantId: string; enabled: boolean }): Promise<boolean> {
    const { actor } = input;
    const tenant = await this.tenants.find(actor.organizationId, input.tenantId);
    if (!tenant) throw new DirectCspTenantNotFoundError();
    const admin = await this.admins.find(actor.organizationId, tenant.delegatedAdminId);
    if (!admin?.directCsp) throw new DirectCspRequiredError(admin?.accountUpn ?? 'its Partner Center account');

    return this.transaction.run(async () => {
      const current = await this.settings.portalSetting(actor.organizationId, tenant.tenantId);
      if ((current?.enabled ?? false) === input.enabled) return false;
      await this.settings.savePortalSetting({
        organizationId: actor.organizationId,
        tenantId: tenant.tenantId,
        enabled: input.enabled,
        changedAt: this.clock.now(),
        changedByUserId: actor.userId,
        changedByName: actor.displayName,
      });
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: input.enabled ? 'direct-csp.portal-enabled' : 'direct-csp.portal-disabled',
        subject: tenant.companyName,
        outcome: 'success',
        detail: input.enabled
          ? 'End-user self-service portal switched on (additional charges apply).'
          : 'End-user self-service portal switched off.',
      });
      return true;
    });
  }
}
