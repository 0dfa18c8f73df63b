import { DomainError } from '../../../shared/domain/domain-error';
import type { LicenceView, SubscriptionView } from '../contracts/licensing-queries';

// The current licences and subscriptions of every tenant, in keyset pages (the partner API). `after` is the
// `next` key of the previous page: rows added or changed between pages never repeat or push others out.
// Always within one organization.

export interface LicenceFilter {
  tenantId?: string;
  skuId?: string;
  // Only SKUs with purchased seats nobody uses.
  unassigned?: boolean;
}

export interface SubscriptionFilter {
  tenantId?: string;
  // The SKU the customer's directory names the subscription with (see SubscriptionView.skuId).
  skuId?: string;
  // Partner Center's status, lower case.
  status?: string;
}

export interface KeysetPage<T> {
  items: T[];
  // Where the next page starts; null on the last page.
  next: string[] | null;
}

export abstract class LicencePageQueries {
  // When licensing last recorded the tenant's licences; null when it never has (not a customer, or never read).
  abstract tenantReadAt(organizationId: string, tenantId: string): Promise<Date | null>;
  // Why Partner Center would not list the tenant's licences at the latest read (no licence-reading GDAP role); null
  // when they were read. Their rows are then left out of every licence list (unknown, not zero).
  abstract licencesUnreadable(organizationId: string, tenantId: string): Promise<{ reason: string; at: Date } | null>;
  // By tenant id, then SKU id.
  abstract licencePage(
    organizationId: string,
    filter: LicenceFilter,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<LicenceView>>;
  // By tenant id, then subscription id; each with its directory match (skuId, tenantUnits). A page may hold fewer
  // than `limit` items when a skuId filter drops a subscription its directory names twice with different SKUs.
  abstract subscriptionPage(
    organizationId: string,
    filter: SubscriptionFilter,
    after: readonly string[] | null,
    limit: number,
  ): Promise<KeysetPage<SubscriptionView>>;
}

export class TenantLicencesNotFoundError extends DomainError {
  readonly code = 'LICENSING.TENANT_LICENCES_NOT_FOUND';
  constructor() {
    super(
      'Sync 365 holds no licences of this customer tenant: it is not your customer, or its licences were never read.',
      'Check the tenant id with GET /api/v1/tenants; a new customer’s licences arrive with its first import.',
    );
  }
}
