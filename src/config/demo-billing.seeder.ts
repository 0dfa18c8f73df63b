import { Injectable, Logger, Module } from '@nestjs/common';
import type { IntegrationEvent } from '../shared/application/integration-event';
import { OnIntegrationEvent } from '../shared/interface/jobs/job-handlers';
import { BillingModule, InvoicePreviewQueries, ManageBillingUseCase } from '../modules/billing';
import { RECONCILIATION_COMPLETED, type ReconciliationCompletedPayload } from '../modules/reconciliation/events';
import { type ActingParty } from '../shared/application/actor';

// Demo data for billing (wired only in demo mode, by AppModule): the partner's own prices are Sync 365 data, not
// Microsoft's, so the emulator cannot supply them. Once a demo organization's first reconciliation has finished,
// this prices its customers' products through billing's public use cases, exactly as a person would on
// Settings → Billing (each step audited under the name below): defaults for the products, one left unmapped
// (Copilot), one customer-level override (Adatum's E3, lower than the default, which queues one decrease for
// approval). An organization someone has already priced is left alone.
const DEMO_NAME = 'Sync 365 demo data';

interface DemoPrice {
  match: RegExp;
  productName: string;
  productCode: string;
  unitPrice?: string;
  termDuration?: string;
  billingCycle?: string;
  priceKind?: 'fixed' | 'cost-plus';
  markupPercent?: string;
  unitCost?: string;
  charge?: 'billable' | 'non-billable' | 'no-charge';
  quantityRule?: 'purchased' | 'assigned' | 'assigned-or-minimum';
  minimumQuantity?: number;
  includedQuantity?: number;
}

// Per-seat monthly prices of a fictional MSP (USD), a little above Microsoft's list prices. The product codes are
// the demo ConnectWise catalog's identifiers (a partner's own product code usually is its PSA's), so Settings →
// Billing → PSA suggests every product by code.
const DEMO_PRICES: DemoPrice[] = [
  { match: /^Microsoft 365 Business Basic$/, productName: 'Managed Business Basic', productCode: 'M365-BUS-BASIC', unitPrice: '7.20' },
  { match: /^Microsoft 365 Business Standard$/, productName: 'Managed Business Standard', productCode: 'M365-BUS-STD', unitPrice: '14.40' },
  {
    match: /^Microsoft 365 Business Premium$/,
    productName: 'Managed Business Premium',
    productCode: 'M365-BUS-PREM',
    unitPrice: '26.40',
    quantityRule: 'assigned-or-minimum',
    minimumQuantity: 5,
  },
  {
    match: /^Microsoft 365 E3$/,
    productName: 'Managed Microsoft 365 E3 (annual)',
    productCode: 'M365-E3',
    unitPrice: '39.60',
    termDuration: 'P1Y',
  },
  { match: /^Microsoft 365 E3$/, productName: 'Managed Microsoft 365 E3 (monthly)', productCode: 'M365-E3', unitPrice: '47.52' },
  { match: /^Microsoft 365 E5$/, productName: 'Managed Microsoft 365 E5', productCode: 'M365-E5', unitPrice: '63.00' },
  { match: /E5 Security$/, productName: 'E5 Security add-on', productCode: 'M365-E5-SEC', unitPrice: '13.20' },
  {
    match: /^Exchange Online \(Plan 1\)$/,
    productName: 'Managed Exchange Online (Plan 1)',
    productCode: 'EXO-P1',
    unitPrice: '4.80',
    includedQuantity: 1,
  },
  {
    match: /^Power BI Pro$/,
    productName: 'Power BI Pro',
    productCode: 'PBI-PRO',
    priceKind: 'cost-plus',
    markupPercent: '15',
    unitCost: '14.00',
    quantityRule: 'assigned',
  },
  {
    match: /^Microsoft Teams Essentials$/,
    productName: 'Teams Essentials (included in support)',
    productCode: 'MSP-TEAMS',
    charge: 'no-charge',
  },
  { match: /^Visio Plan 2$/, productName: 'Visio Plan 2', productCode: 'VISIO-P2', unitPrice: '18.00' },
];

const OVERRIDE = {
  companyName: 'Adatum Corporation',
  product: /^Microsoft 365 E3$/,
  productName: 'Managed Microsoft 365 E3 (Adatum contract)',
  productCode: 'M365-E3',
  unitPrice: '34.50',
};

@Injectable()
export class DemoBillingSeeder {
  private readonly logger = new Logger(DemoBillingSeeder.name);

  constructor(
    private readonly manage: ManageBillingUseCase,
    private readonly preview: InvoicePreviewQueries,
  ) {}

  @OnIntegrationEvent(RECONCILIATION_COMPLETED)
  async onReconciliationCompleted(event: IntegrationEvent<ReconciliationCompletedPayload>): Promise<void> {
    await this.seed(event.organizationId);
  }

  async seed(organizationId: string): Promise<boolean> {
    if (await this.manage.isSetUp(organizationId)) return false;
    const actor: ActingParty = { organizationId, userId: null, name: DEMO_NAME };
    const products = await this.preview.products(organizationId);
    for (const price of DEMO_PRICES) {
      const product = products.find((p) => price.match.test(p.microsoftProduct));
      if (!product) continue;
      const { match: _, ...input } = price;
      await this.manage.saveProfile(actor, { ...input, skuId: product.skuId });
    }
    const overridden = products.find((p) => OVERRIDE.product.test(p.microsoftProduct));
    const customers = (await this.preview.organization(organizationId)).tenants;
    const customer = customers.find((c) => c.companyName === OVERRIDE.companyName);
    if (overridden && customer) {
      await this.manage.saveProfile(actor, {
        skuId: overridden.skuId,
        tenantId: customer.tenantId,
        productName: OVERRIDE.productName,
        productCode: OVERRIDE.productCode,
        unitPrice: OVERRIDE.unitPrice,
      });
    }
    this.logger.log(`Billing demo data: ${products.length} products priced for the demo organization ${organizationId}`);
    return true;
  }
}

@Module({ imports: [BillingModule], providers: [DemoBillingSeeder] })
export class DemoBillingModule {}
