import { Injectable } from '@nestjs/common';
import { BillableLicences, type BillingCustomer } from './ports/billable-licences.port';
import { BillingRepository } from './ports/billing.repository';

// A product the partner bills (one billing profile's product name and code; several profiles may share one).
export interface BilledProduct {
  // Stable key: the product name, lower-cased (the approved invoice keeps the name, not the profile).
  key: string;
  productName: string;
  productCode: string;
}

// One line of a customer's approved invoice, as a PSA sync reads it (quantity and price as approved).
export interface ApprovedInvoiceLine {
  tenantId: string;
  productKey: string;
  productName: string;
  quantity: number;
  unitPrice: string; // exact decimal
}

export function billedProductKey(productName: string): string {
  return productName.trim().toLowerCase();
}

// What the PSA sync (issue 17) reads of billing: the customers, the products the partner bills, and the approved
// invoice per tenant, which is the source of truth for the quantities pushed into a PSA.
@Injectable()
export class BillingForPsaQueries {
  constructor(
    private readonly billing: BillingRepository,
    private readonly licences: BillableLicences,
  ) {}

  customers(organizationId: string): Promise<BillingCustomer[]> {
    return this.licences.customers(organizationId);
  }

  timeZone(organizationId: string): Promise<string> {
    return this.licences.timeZone(organizationId);
  }

  async products(organizationId: string): Promise<BilledProduct[]> {
    const profiles = await this.billing.profiles(organizationId);
    const byKey = new Map<string, BilledProduct>();
    for (const p of profiles) {
      const key = billedProductKey(p.productName);
      if (!byKey.has(key) || (!byKey.get(key)!.productCode && p.productCode))
        byKey.set(key, { key, productName: p.productName, productCode: p.productCode });
    }
    return [...byKey.values()].sort((a, b) => a.productName.localeCompare(b.productName));
  }

  async approvedLines(organizationId: string, tenantId?: string): Promise<ApprovedInvoiceLine[]> {
    const lines = await this.billing.approvedLines(organizationId, tenantId);
    return lines.map((l) => ({
      tenantId: l.tenantId,
      productKey: billedProductKey(l.productName),
      productName: l.productName,
      quantity: l.quantity,
      unitPrice: l.unitPrice.toFixed(Math.max(2, l.unitPrice.decimalPlaces())),
    }));
  }
}
