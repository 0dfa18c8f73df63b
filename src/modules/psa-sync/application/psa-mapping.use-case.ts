import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock';
import { Transaction } from '../../../shared/application/transaction';
import { AuditTrail } from '../../audit';
import { BillingForPsaQueries, type BilledProduct, type BillingCustomer } from '../../billing';
import { PSA_NAMES, type PsaConnection } from '../domain/psa-connection';
import {
  suggestAgreement,
  suggestCompany,
  suggestProduct,
  type PsaAgreement,
  type PsaCompany,
  type PsaProduct,
  type ProductMapping,
  type TenantMapping,
} from '../domain/psa-mapping';
import { InvalidPsaInputError, PsaNotConnectedError, PsaTenantNotFoundError } from '../domain/psa-sync.errors';
import { PsaGateway } from './ports/psa-gateway.port';
import { PsaSyncRepository } from './ports/psa-sync.repository';
import { type ActingParty } from '../../../shared/application/actor';

export interface TenantMappingRow {
  customer: BillingCustomer;
  mapping: TenantMapping | null;
  // What Sync 365 proposes when nothing is confirmed (null: no company of that name or domain in the PSA).
  suggestion: { agreement: PsaAgreement; companyName: string; because: string } | null;
}

export interface ProductMappingRow {
  product: BilledProduct;
  mapping: ProductMapping | null;
  suggestion: { product: PsaProduct; because: string } | null;
}

export interface MappingOverview {
  connection: PsaConnection;
  tenants: TenantMappingRow[];
  products: ProductMappingRow[];
  agreements: (PsaAgreement & { companyName: string })[];
  psaProducts: PsaProduct[];
}

// Customer tenant → PSA agreement/contract and billing product → PSA product/service: suggested from the PSA's own
// lists, confirmed by a person (audited). Only confirmed mappings are synced.
@Injectable()
export class PsaMappingUseCase {
  constructor(
    private readonly repository: PsaSyncRepository,
    private readonly gateway: PsaGateway,
    private readonly billing: BillingForPsaQueries,
    private readonly audit: AuditTrail,
    private readonly transaction: Transaction,
    private readonly clock: Clock,
  ) {}

  async overview(organizationId: string): Promise<MappingOverview> {
    const connection = await this.requireConnection(organizationId);
    const [companies, agreements, psaProducts] = await Promise.all([
      this.gateway.companies(connection),
      this.gateway.agreements(connection),
      this.gateway.products(connection),
    ]);
    const [customers, products, tenantMappings, productMappings] = await Promise.all([
      this.billing.customers(organizationId),
      this.billing.products(organizationId),
      this.repository.tenantMappings(organizationId),
      this.repository.productMappings(organizationId),
    ]);
    const companyName = new Map(companies.map((c) => [c.id, c.name]));
    const named = agreements
      .map((a) => ({ ...a, companyName: companyName.get(a.companyId) ?? `Company ${a.companyId}` }))
      .sort((a, b) => a.companyName.localeCompare(b.companyName) || a.name.localeCompare(b.name));
    const byTenant = new Map(tenantMappings.map((m) => [m.tenantId, m]));
    const byProduct = new Map(productMappings.map((m) => [m.productKey, m]));
    return {
      connection,
      agreements: named,
      psaProducts,
      tenants: customers.map((customer) => ({
        customer,
        mapping: byTenant.get(customer.tenantId) ?? null,
        suggestion: byTenant.has(customer.tenantId) ? null : tenantSuggestion(customer, companies, agreements),
      })),
      products: products.map((product) => {
        const suggested = byProduct.has(product.key) ? null : suggestProduct(product, psaProducts);
        return {
          product,
          mapping: byProduct.get(product.key) ?? null,
          suggestion: suggested ? { product: suggested.value, because: suggested.because } : null,
        };
      }),
    };
  }

  async confirmTenant(actor: ActingParty, tenantId: string, agreementId: string): Promise<TenantMapping> {
    const connection = await this.requireConnection(actor.organizationId);
    const customer = (await this.billing.customers(actor.organizationId)).find((c) => c.tenantId === tenantId.toLowerCase());
    if (!customer) throw new PsaTenantNotFoundError();
    const psa = PSA_NAMES[connection.kind];
    if (!agreementId.trim())
      throw new InvalidPsaInputError(
        `Choose the ${connection.kind === 'autotask' ? 'contract' : 'agreement'} ${customer.companyName} is billed on.`,
        `Pick it from the list of active ones in ${psa}.`,
        'agreementId',
      );
    const [agreements, companies] = await Promise.all([this.gateway.agreements(connection), this.gateway.companies(connection)]);
    const agreement = agreements.find((a) => a.id === agreementId.trim());
    if (!agreement)
      throw new InvalidPsaInputError(
        `${psa} has no active ${connection.kind === 'autotask' ? 'contract' : 'agreement'} with this id.`,
        'Reload the page and pick one from the list.',
        'agreementId',
      );
    const mapping: TenantMapping = {
      tenantId: customer.tenantId,
      companyId: agreement.companyId,
      companyName: companies.find((c) => c.id === agreement.companyId)?.name ?? '',
      agreementId: agreement.id,
      agreementName: agreement.name,
      confirmedAt: this.clock.now(),
      confirmedByName: actor.name,
    };
    return this.transaction.run(async () => {
      await this.repository.saveTenantMapping(actor.organizationId, mapping);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'psa-sync.tenant-mapped',
        subject: customer.companyName,
        outcome: 'success',
        detail: `${psa}: ${mapping.companyName}, ${mapping.agreementName}`,
      });
      return mapping;
    });
  }

  async confirmProduct(actor: ActingParty, productKey: string, psaProductId: string): Promise<ProductMapping> {
    const connection = await this.requireConnection(actor.organizationId);
    const product = (await this.billing.products(actor.organizationId)).find((p) => p.key === productKey.toLowerCase());
    if (!product)
      throw new InvalidPsaInputError(
        'No billing profile sells this product (any more).',
        'Settings → Billing lists the products you bill.',
        'productKey',
      );
    const psa = PSA_NAMES[connection.kind];
    const psaProduct = (await this.gateway.products(connection)).find((p) => p.id === psaProductId.trim());
    if (!psaProduct)
      throw new InvalidPsaInputError(
        `Choose the ${psa} ${connection.kind === 'autotask' ? 'service' : 'product'} ${product.productName} is billed as.`,
        `Pick an active one from the list; add it in ${psa} first if it is missing.`,
        'psaProductId',
      );
    const mapping: ProductMapping = {
      productKey: product.key,
      psaProductId: psaProduct.id,
      psaProductName: psaProduct.code && psaProduct.code !== psaProduct.name ? `${psaProduct.code} — ${psaProduct.name}` : psaProduct.name,
      confirmedAt: this.clock.now(),
      confirmedByName: actor.name,
    };
    return this.transaction.run(async () => {
      await this.repository.saveProductMapping(actor.organizationId, mapping);
      this.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorName: actor.name,
        action: 'psa-sync.product-mapped',
        subject: product.productName,
        outcome: 'success',
        detail: `${psa}: ${mapping.psaProductName}`,
      });
      return mapping;
    });
  }

  // "Confirm every suggestion": what the page proposes, confirmed at once by the person pressing it (each mapping
  // audited as if confirmed one by one). Rows without a suggestion stay for a person to choose.
  async confirmSuggested(actor: ActingParty): Promise<{ tenants: number; products: number }> {
    const overview = await this.overview(actor.organizationId);
    const psa = PSA_NAMES[overview.connection.kind];
    const now = this.clock.now();
    const companyName = new Map(overview.agreements.map((a) => [a.id, a.companyName]));
    return this.transaction.run(async () => {
      let tenants = 0;
      let products = 0;
      for (const row of overview.tenants) {
        if (row.mapping || !row.suggestion) continue;
        const a = row.suggestion.agreement;
        const mapping: TenantMapping = {
          tenantId: row.customer.tenantId,
          companyId: a.companyId,
          companyName: companyName.get(a.id) ?? row.suggestion.companyName,
          agreementId: a.id,
          agreementName: a.name,
          confirmedAt: now,
          confirmedByName: actor.name,
        };
        await this.repository.saveTenantMapping(actor.organizationId, mapping);
        this.audit.record({
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          actorName: actor.name,
          action: 'psa-sync.tenant-mapped',
          subject: row.customer.companyName,
          outcome: 'success',
          detail: `${psa}: ${mapping.companyName}, ${mapping.agreementName} (suggested: ${row.suggestion.because})`,
        });
        tenants++;
      }
      for (const row of overview.products) {
        if (row.mapping || !row.suggestion) continue;
        const p = row.suggestion.product;
        const mapping: ProductMapping = {
          productKey: row.product.key,
          psaProductId: p.id,
          psaProductName: p.code && p.code !== p.name ? `${p.code} — ${p.name}` : p.name,
          confirmedAt: now,
          confirmedByName: actor.name,
        };
        await this.repository.saveProductMapping(actor.organizationId, mapping);
        this.audit.record({
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          actorName: actor.name,
          action: 'psa-sync.product-mapped',
          subject: row.product.productName,
          outcome: 'success',
          detail: `${psa}: ${mapping.psaProductName} (suggested: ${row.suggestion.because})`,
        });
        products++;
      }
      return { tenants, products };
    });
  }

  private async requireConnection(organizationId: string): Promise<PsaConnection> {
    const connection = await this.repository.connection(organizationId);
    if (!connection) throw new PsaNotConnectedError();
    return connection;
  }
}

function tenantSuggestion(customer: BillingCustomer, companies: PsaCompany[], agreements: PsaAgreement[]): TenantMappingRow['suggestion'] {
  const company = suggestCompany(customer, companies);
  if (!company) return null;
  const agreement = suggestAgreement(agreements.filter((a) => a.companyId === company.value.id));
  return agreement
    ? { agreement: agreement.value, companyName: company.value.name, because: `${company.because}; ${agreement.because.toLowerCase()}` }
    : null;
}
