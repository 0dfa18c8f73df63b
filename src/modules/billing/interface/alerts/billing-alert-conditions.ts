import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AlertConditionSources, type AlertCondition, type AlertConditionSource } from '../../../alerts';
import { InvoicePreviewQueries } from '../../application/invoice-preview.queries';
import { BillingRepository } from '../../application/ports/billing.repository';

// Billing's condition for the alert centre: a Microsoft product customers hold that no billing profile prices is
// not billed at all (never silently at 0), so it is an alert until someone maps it. One alert per product, and only
// once the partner bills through Sync 365 (has a profile): before that every product is unmapped, which says nothing.
@Injectable()
export class BillingAlertConditions implements AlertConditionSource, OnModuleInit {
  readonly name = 'billing';

  constructor(
    private readonly sources: AlertConditionSources,
    private readonly preview: InvoicePreviewQueries,
    private readonly billing: BillingRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async conditionsOf(organizationId: string): Promise<AlertCondition[]> {
    if ((await this.billing.profiles(organizationId)).length === 0) return [];
    const { notMapped } = await this.preview.organization(organizationId);
    return notMapped.map((product) => ({
      rule: 'sku-without-billing-profile',
      key: `sku-without-billing-profile:${product.skuId.toLowerCase()}`,
      severity: 'warning',
      tenantId: null,
      tenantName: null,
      skuId: product.skuId,
      title: `${product.microsoftProduct} has no billing profile: ${seats(product.seats)} at ${customers(product.tenants)} are not billed`,
      action: `Add a billing profile for ${product.microsoftProduct} in Settings → Billing (or mark it non-billable there).`,
    }));
  }
}

const seats = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;
const customers = (n: number) => `${n} customer${n === 1 ? '' : 's'}`;
