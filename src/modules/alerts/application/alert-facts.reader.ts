import { Injectable } from '@nestjs/common';
import { DelegatedAdminQueries, RefreshTokenAges } from '../../consent';
import { isMonthlyTerm, LicensingQueries } from '../../licensing';
import { TenantHealth } from '../../tenants';
import type { AlertFacts, TenantFacts } from '../domain/alert-facts';
import { AlertConditionSources } from './alert-condition-sources';

const PAGE = 200;

// Collects what the rules look at from the other modules' read facades (never their tables).
@Injectable()
export class AlertFactsReader {
  constructor(
    private readonly tenants: TenantHealth,
    private readonly licensing: LicensingQueries,
    private readonly admins: DelegatedAdminQueries,
    private readonly tokenAges: RefreshTokenAges,
    private readonly sources: AlertConditionSources,
  ) {}

  // The organization's tenants a page at a time, each page's licences and subscriptions read together: an evaluation
  // holds one page of facts, not every tenant's (at 10,000 tenants, every licence of the organization at once).
  async *tenantPages(organizationId: string): AsyncIterable<TenantFacts[]> {
    let after: string | null = null;
    for (;;) {
      const page = await this.tenants.page(organizationId, after, PAGE);
      if (page.length === 0) return;
      const tenantIds = page.map((health) => health.tenantId);
      const licencesByTenant = await this.licensing.licencesOfTenants(organizationId, tenantIds);
      // A page's subscriptions in one read (one per tenant made 20,000 statements per evaluation at 10,000 tenants).
      const subscriptionsByTenant = await this.licensing.subscriptionsOfTenants(organizationId, tenantIds);
      yield page.map((health) => {
        // Unreadable licences are unknown, not none: no licence rule applies to them.
        const licences = health.licencesUnreadable ? null : (licencesByTenant.get(health.tenantId.toLowerCase()) ?? []);
        const subscriptions = subscriptionsByTenant.get(health.tenantId.toLowerCase()) ?? [];
        return {
          tenantId: health.tenantId,
          companyName: health.companyName,
          gdapStatus: health.gdapStatus,
          gdapMissingRoles: health.gdapMissingRoles,
          gdapRelationships: health.gdapRelationships,
          appStatus: health.appStatus,
          accessProblemKind: health.accessProblemKind,
          lastError: health.lastError,
          licences:
            licences?.map((l) => ({
              skuId: l.skuId,
              productName: l.productName,
              purchased: l.purchased,
              assigned: l.assigned,
              suspended: l.suspended,
              warning: l.warning,
              lockedOut: l.lockedOut ?? 0,
            })) ?? null,
          subscriptions: subscriptions.map((s) => ({
            id: s.id,
            offerName: s.offerName,
            skuId: s.skuId,
            quantity: s.quantity,
            status: s.status,
            autoRenewEnabled: s.autoRenewEnabled,
            isTrial: s.isTrial,
            commitmentEndDate: s.commitmentEndDate,
            cancellationAllowedUntilDate: s.cancellationAllowedUntilDate,
            refundableQuantity: s.refundableQuantity ?? null,
            monthlyTerm: isMonthlyTerm(s),
          })),
        };
      });
      if (page.length < PAGE) return;
      after = page[page.length - 1].tenantId;
    }
  }

  // What is not a tenant's: the Partner Center connections, and the conditions other modules report.
  async organizationFacts(organizationId: string): Promise<Omit<AlertFacts, 'tenants'>> {
    const [admins, ages, external] = await Promise.all([
      this.admins.list(organizationId),
      this.tokenAges.of(organizationId),
      this.sources.conditionsOf(organizationId),
    ]);
    const renewed = new Map(ages.map((a) => [a.delegatedAdminId, a.renewedAt]));
    return {
      connections: admins.map((a) => ({
        delegatedAdminId: a.id,
        accountUpn: a.accountUpn,
        status: a.status,
        statusReason: a.statusReason ?? null,
        tokenRenewedAt: renewed.get(a.id) ?? null,
      })),
      external,
    };
  }
}
