import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHARGE_KINDS, PRICE_KINDS, QUANTITY_RULES } from '../../domain/billing-profile';

const TENANT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const SKU_ID = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const PROFILE_ID = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const APPROVAL_ID = 'b4c5d6e7-f809-4a1b-8c2d-3e4f5a6b7c8d';
const LINE_STATUSES = ['billable', 'non-billable', 'no-charge', 'not-mapped', 'no-price', 'not-sold-by-you', 'excluded'];
const MONEY = {
  type: String,
  pattern: '^-?\\d+\\.\\d{2}$',
  description: 'A decimal string in the organization’s currency (never a JSON number)',
};
const PRICE = { type: String, pattern: '^-?\\d+\\.\\d{2,4}$', description: 'A decimal string, up to 4 decimals' };

export class BillingSettingsResponse {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217: every price and amount is in it' }) currency: string;
  @ApiProperty({ example: true, description: 'Increases of an existing line go onto the invoice without approval' })
  autoApproveIncreases: boolean;
  @ApiProperty({ ...MONEY, example: '0.00', description: 'Changes whose amount moves by at most this much apply without approval' })
  approvalThreshold: string;
}

export class BillingSettingsRequest {
  @ApiPropertyOptional({ example: 'EUR' }) currency?: string;
  @ApiPropertyOptional({ example: false }) autoApproveIncreases?: boolean;
  @ApiPropertyOptional({ example: '25.00', type: String }) approvalThreshold?: string;
}

export class BillingProfileRequest {
  @ApiProperty({ example: SKU_ID, description: 'The Microsoft SKU id' }) skuId: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'uuid',
    example: null,
    description: 'A customer tenant: this customer’s override; absent or null: the organization default',
  })
  tenantId?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'P1Y',
    description: 'Only subscriptions of this term (P1M, P1Y, P3Y); null: any',
  })
  termDuration?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'monthly', description: 'Only subscriptions billed this way; null: any' })
  billingCycle?: string | null;
  @ApiProperty({ example: 'Managed Microsoft 365 E3' }) productName: string;
  @ApiPropertyOptional({ example: 'M365-E3-M' }) productCode?: string;
  @ApiPropertyOptional({ enum: PRICE_KINDS, example: 'fixed' }) priceKind?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '36.00', description: 'fixed: the price per seat' }) unitPrice?:
    string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'cost-plus: percent on the cost (negative for a discount)',
  })
  markupPercent?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: null,
    description: 'cost-plus: your cost per seat (Sync 365 reads no price list from Partner Center)',
  })
  unitCost?: string | null;
  @ApiPropertyOptional({ enum: CHARGE_KINDS, example: 'billable' }) charge?: string;
  @ApiPropertyOptional({
    enum: QUANTITY_RULES,
    example: 'purchased',
    description: 'purchased seats, assigned seats, or assigned seats but at least minimumQuantity',
  })
  quantityRule?: string;
  @ApiPropertyOptional({ example: 0, description: 'Seats taken off the billed quantity' }) includedQuantity?: number;
  @ApiPropertyOptional({ example: 0, description: 'The billed quantity is at least this (before included seats are taken off)' })
  minimumQuantity?: number;
}

export class BillingProfileResponse {
  @ApiProperty({ format: 'uuid', example: PROFILE_ID }) id: string;
  @ApiProperty({ example: SKU_ID }) skuId: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: null }) tenantId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'P1Y' }) termDuration: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'monthly' }) billingCycle: string | null;
  @ApiProperty({ example: 'Managed Microsoft 365 E3' }) productName: string;
  @ApiProperty({ example: 'M365-E3-M' }) productCode: string;
  @ApiProperty({ enum: PRICE_KINDS }) priceKind: string;
  @ApiProperty({ ...PRICE, nullable: true, example: '36.00' }) unitPrice: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) markupPercent: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) unitCost: string | null;
  @ApiProperty({ enum: CHARGE_KINDS }) charge: string;
  @ApiProperty({ enum: QUANTITY_RULES }) quantityRule: string;
  @ApiProperty({ example: 0 }) includedQuantity: number;
  @ApiProperty({ example: 0 }) minimumQuantity: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ example: 'Alice Admin' }) updatedBy: string;
}

export class BillingProfileList {
  @ApiProperty({ type: [BillingProfileResponse] }) items: BillingProfileResponse[];
}

export class CompanyMappingResponse {
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Adatum Corporation' }) companyName: string;
  @ApiProperty({ example: 'adatum.example' }) domain: string;
  @ApiProperty({ example: 'Adatum Corporation', description: 'Your billing account for this customer' }) accountName: string;
  @ApiProperty({ example: 'ADATUM' }) accountCode: string;
  @ApiProperty({ enum: ['suggested', 'confirmed'], description: 'suggested: what Sync 365 proposes, not yet confirmed by a person' })
  status: string;
  @ApiProperty({ example: 'Named after the tenant (adatum.example)' }) suggestedBecause: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) confirmedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) confirmedBy: string | null;
}

export class CompanyMappingList {
  @ApiProperty({ type: [CompanyMappingResponse] }) items: CompanyMappingResponse[];
}

export class CompanyMappingRequest {
  @ApiPropertyOptional({ example: 'Adatum Corporation', description: 'Absent: the suggested name' }) accountName?: string;
  @ApiPropertyOptional({ example: 'ADATUM' }) accountCode?: string;
}

export class InvoiceLineResponse {
  @ApiProperty({ example: SKU_ID }) skuId: string;
  @ApiProperty({ example: 'Microsoft 365 E3', description: 'Microsoft’s product' }) microsoftProduct: string;
  @ApiProperty({ example: 'Managed Microsoft 365 E3', description: 'Your product (empty when not mapped)' }) productName: string;
  @ApiProperty({ type: String, nullable: true, example: 'M365-E3-M' }) productCode: string | null;
  @ApiProperty({ enum: LINE_STATUSES, description: 'Only billable lines are invoiced; not-mapped lines are never billed at 0' })
  status: string;
  @ApiProperty({ type: String, nullable: true, enum: ['default', 'customer'], description: 'Which profile priced it' }) profileScope:
    string | null;
  @ApiProperty({ type: String, nullable: true, example: 'P1Y' }) termDuration: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'monthly' }) billingCycle: string | null;
  @ApiProperty({ example: 12 }) purchased: number;
  @ApiProperty({ example: 10 }) assigned: number;
  @ApiProperty({ example: 12 }) quantity: number;
  @ApiProperty({ ...PRICE, nullable: true, example: '36.00' }) unitPrice: string | null;
  @ApiProperty({ ...MONEY, nullable: true, example: '432.00' }) amount: string | null;
  @ApiProperty({ example: '12 purchased seats (purchased seats); fixed price' }) why: string;
  @ApiProperty({ type: Number, nullable: true, example: 12, description: 'On the last approved invoice' }) approvedQuantity: number | null;
  @ApiProperty({ ...MONEY, nullable: true, example: '432.00' }) approvedAmount: string | null;
  @ApiProperty({
    ...MONEY,
    nullable: true,
    example: '0.00',
    description: 'amount − approvedAmount; null when the line proposes nothing (not mapped, no price)',
  })
  change: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: null, description: 'The approval this line’s change waits for' })
  pendingApprovalId: string | null;
}

export class TenantPreviewResponse {
  @ApiProperty({ example: '2027-01', description: 'The coming period (YYYY-MM, in the organization’s time zone)' }) period: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Adatum Corporation' }) companyName: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Adatum Corporation',
    description: 'The confirmed billing account; null while not confirmed',
  })
  accountName: string | null;
  @ApiProperty({ type: [InvoiceLineResponse] }) lines: InvoiceLineResponse[];
  @ApiProperty({ type: [InvoiceLineResponse], description: 'Seats sold by another partner and excluded SKUs: never invoiced' })
  apart: InvoiceLineResponse[];
  @ApiProperty({ type: [InvoiceLineResponse], description: 'Approved lines of products the customer no longer has' })
  removed: InvoiceLineResponse[];
  @ApiProperty({ ...MONEY, example: '432.00' }) total: string;
  @ApiProperty({ ...MONEY, example: '432.00' }) approvedTotal: string;
}

export class TenantPreviewSummaryResponse {
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Adatum Corporation' }) companyName: string;
  @ApiProperty({ type: String, nullable: true }) accountName: string | null;
  @ApiProperty({ example: 3 }) lines: number;
  @ApiProperty({ example: 1 }) notMapped: number;
  @ApiProperty({ ...MONEY, example: '432.00' }) total: string;
  @ApiProperty({ ...MONEY, example: '468.00' }) approvedTotal: string;
  @ApiProperty({ ...MONEY, example: '-36.00' }) change: string;
  @ApiProperty({ example: 1, description: 'Changes waiting for approval' }) pending: number;
}

export class NotMappedProductResponse {
  @ApiProperty({ example: SKU_ID }) skuId: string;
  @ApiProperty({ example: 'Visio Plan 2' }) microsoftProduct: string;
  @ApiProperty({ example: 2 }) tenants: number;
  @ApiProperty({ example: 7 }) seats: number;
}

export class OrganizationPreviewResponse {
  @ApiProperty({ example: '2027-01' }) period: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ ...MONEY, example: '10432.00' }) total: string;
  @ApiProperty({ ...MONEY, example: '10468.00' }) approvedTotal: string;
  @ApiProperty({ example: 1 }) pending: number;
  @ApiProperty({ type: [NotMappedProductResponse], description: 'Products without a billing profile: map them (Settings → Billing)' })
  notMapped: NotMappedProductResponse[];
  @ApiProperty({ type: [TenantPreviewSummaryResponse], description: 'Every active customer tenant, by name' })
  tenants: TenantPreviewSummaryResponse[];
}

export class LineValuesResponse {
  @ApiProperty({ example: 'Managed Microsoft 365 E3' }) productName: string;
  @ApiProperty({ example: 12 }) quantity: number;
  @ApiProperty({ ...PRICE, example: '36.00' }) unitPrice: string;
  @ApiProperty({ ...MONEY, example: '432.00' }) amount: string;
}

export class ApprovalResponse {
  @ApiProperty({ format: 'uuid', example: APPROVAL_ID }) id: string;
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Adatum Corporation' }) companyName: string;
  @ApiProperty({ example: SKU_ID }) skuId: string;
  @ApiProperty({ enum: ['new', 'increase', 'decrease', 'removed'] }) kind: string;
  @ApiProperty({ type: LineValuesResponse, nullable: true, description: 'On the approved invoice; null for a new line' })
  before: LineValuesResponse | null;
  @ApiProperty({ type: LineValuesResponse, nullable: true, description: 'Proposed; null for a removed line' })
  after: LineValuesResponse | null;
  @ApiProperty({ ...MONEY, example: '-72.00' }) delta: string;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected', 'withdrawn'], description: 'withdrawn: the preview no longer proposes it' })
  status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) decidedBy: string | null;
}

export class ApprovalList {
  @ApiProperty({ type: [ApprovalResponse] }) items: ApprovalResponse[];
}

export class SnapshotResponse {
  @ApiProperty({ example: '2026-11' }) period: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ ...MONEY, example: '10432.00', description: 'Sum of the invoiced (approved) lines' }) total: string;
  @ApiProperty({ format: 'date-time' }) frozenAt: string;
  @ApiProperty({ example: 'Sync 365' }) frozenBy: string;
  @ApiProperty({ example: 84 }) lines: number;
}

export class SnapshotList {
  @ApiProperty({ type: [SnapshotResponse] }) items: SnapshotResponse[];
}

export class SnapshotLineResponse {
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Adatum Corporation' }) companyName: string;
  @ApiProperty({ type: String, nullable: true }) accountName: string | null;
  @ApiProperty({ example: SKU_ID }) skuId: string;
  @ApiProperty({ example: 'Microsoft 365 E3' }) microsoftProduct: string;
  @ApiProperty({ example: 'Managed Microsoft 365 E3' }) productName: string;
  @ApiProperty({ type: String, nullable: true }) productCode: string | null;
  @ApiProperty({ enum: [...LINE_STATUSES, 'awaiting-approval'], description: 'billable lines are invoiced at the approved values' })
  status: string;
  @ApiProperty({ example: 12 }) purchased: number;
  @ApiProperty({ example: 10 }) assigned: number;
  @ApiProperty({ example: 12 }) quantity: number;
  @ApiProperty({ ...PRICE, nullable: true }) unitPrice: string | null;
  @ApiProperty({ ...MONEY, nullable: true }) amount: string | null;
  @ApiProperty({ example: '12 purchased seats (purchased seats); fixed price' }) why: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the line was computed from (profile, term, the preview at the time)',
  })
  inputs: Record<string, unknown>;
}

export class SnapshotDetailResponse extends SnapshotResponse {
  @ApiProperty({ type: [SnapshotLineResponse] }) items: SnapshotLineResponse[];
}

export class FreezeSnapshotRequest {
  @ApiProperty({ example: '2026-11', description: 'The month (YYYY-MM) to freeze: this month or an earlier one' }) period: string;
}
