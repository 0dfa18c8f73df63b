import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { CustomerTenantNotFoundError, InvalidBillingInputError } from '../domain/billing.errors';
import { BillableLicences, type BillingCustomer } from './ports/billable-licences.port';
import { BillingRepository, type CompanyMapping } from './ports/billing.repository';
import { type ActingParty } from '../../../shared/application/actor';

export interface MappingRow {
  customer: BillingCustomer;
  // Confirmed by a person, or what Sync 365 suggests (not stored until someone confirms it).
  mapping: CompanyMapping;
}

// Each customer tenant ↔ the partner's billing account for it. Today the account is an internal record (the PSA
// issue links it to a PSA company); Sync 365 suggests one by name and domain, a person confirms it.
@Injectable()
export class CompanyMappingUseCase {
  constructor(
    private readonly billing: BillingRepository,
    private readonly licences: BillableLicences,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async list(organizationId: string): Promise<MappingRow[]> {
    const [customers, mappings] = await Promise.all([this.licences.customers(organizationId), this.billing.mappings(organizationId)]);
    const stored = new Map(mappings.map((m) => [m.tenantId, m]));
    const confirmed = mappings.filter((m) => m.status === 'confirmed');
    return customers.map((customer) => ({ customer, mapping: stored.get(customer.tenantId) ?? suggestMapping(customer, confirmed) }));
  }

  async confirm(actor: ActingParty, tenantId: string, input: { accountName?: string; accountCode?: string }): Promise<CompanyMapping> {
    const rows = await this.list(actor.organizationId);
    const row = rows.find((r) => r.customer.tenantId === tenantId.toLowerCase());
    if (!row) throw new CustomerTenantNotFoundError();
    const accountName = (input.accountName ?? row.mapping.accountName).trim();
    const accountCode = (input.accountCode ?? row.mapping.accountCode).trim();
    if (accountName.length === 0 || accountName.length > 200)
      throw new InvalidBillingInputError(
        'Give the billing account’s name (1 to 200 characters).',
        'Use the name your invoices are addressed to.',
        'accountName',
      );
    if (accountCode.length > 50)
      throw new InvalidBillingInputError('The account code is longer than 50 characters.', 'Shorten it.', 'accountCode');
    const mapping: CompanyMapping = {
      ...row.mapping,
      accountName,
      accountCode,
      status: 'confirmed',
      confirmedAt: this.clock.now(),
      confirmedByName: actor.name,
    };
    return this.transaction.run(async () => {
      await this.billing.saveMapping(actor.organizationId, mapping);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'billing.mapping-confirmed',
        subject: row.customer.companyName,
        outcome: 'success',
        detail: `Billing account ${accountName}${accountCode ? ` (${accountCode})` : ''}`,
      });
      return mapping;
    });
  }
}

// By name first (a confirmed account of the same name: one company with several tenants), then by domain (an
// account code equal to the domain's first label); else a new account named after the tenant.
export function suggestMapping(customer: BillingCustomer, confirmed: readonly CompanyMapping[]): CompanyMapping {
  const name = normalized(customer.companyName);
  const label = domainLabel(customer.domain);
  const byName = confirmed.find((m) => normalized(m.accountName) === name);
  const byDomain = label ? confirmed.find((m) => m.accountCode.toLowerCase() === label) : undefined;
  const match = byName ?? byDomain;
  const base = { tenantId: customer.tenantId, status: 'suggested' as const, confirmedAt: null, confirmedByName: null };
  if (match) {
    return {
      ...base,
      accountName: match.accountName,
      accountCode: match.accountCode,
      suggestedBecause: byName
        ? `Same name as the account ${match.accountName}`
        : `Domain ${customer.domain} matches the account code ${match.accountCode}`,
    };
  }
  return {
    ...base,
    accountName: customer.companyName,
    accountCode: label.toUpperCase(),
    suggestedBecause: `Named after the tenant (${customer.domain})`,
  };
}

function normalized(name: string): string {
  return name
    .toLowerCase()
    .replace(/[.,]/g, ' ')
    .replace(/\b(inc|ltd|llc|gmbh|corp|corporation|co|plc|limited|sa|ag)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function domainLabel(domain: string): string {
  const first = domain.toLowerCase().split('.')[0] ?? '';
  return /^[a-z0-9-]+$/.test(first) ? first : '';
}
