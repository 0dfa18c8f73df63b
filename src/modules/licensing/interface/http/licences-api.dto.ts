import { ApiProperty } from '@nestjs/swagger';

const TENANT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const SKU_ID = 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46';
const SUBSCRIPTION_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const CURSOR = {
  type: String,
  nullable: true,
  example: 'WyJsaWNlbmNlcyIsIjNmMmE5YzFlLTdiNGQtNGU4YS05YzZmLTFkMmUzZjRhNWI2YyIsImNiZGMxNGFiLWQ5NmMtNGMzMC1iOWY0LTZhZGE3Y2RjMWQ0NiJd',
  description: 'Pass as `cursor` for the next page; null on the last page',
};

export class LicenceResponse {
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: SKU_ID }) skuId: string;
  @ApiProperty({ example: 'SPB' }) skuPartNumber: string;
  @ApiProperty({ example: 'Microsoft 365 Business Premium' }) productName: string;
  @ApiProperty({ example: 'Enabled', description: 'As Partner Center says it' }) capabilityStatus: string;
  @ApiProperty({ example: 25, description: 'Active + warning units (still paid for during the grace period)' }) purchased: number;
  @ApiProperty({ example: 27, description: 'Consumed units' }) assigned: number;
  @ApiProperty({ example: -2, description: 'purchased − assigned; negative when more seats are assigned than purchased' })
  available: number;
  @ApiProperty({ example: 0 }) suspended: number;
  @ApiProperty({ example: 0 }) warning: number;
  @ApiProperty({
    example: 0,
    description: 'Cancelled units that cannot be reactivated (Graph prepaidUnits.lockedOut); 0 until the customer’s directory was read',
  })
  lockedOut: number;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T02:01:12.000Z', description: 'When the tenant’s licences were last read' })
  readAt: string;
}

export class LicenceList {
  @ApiProperty({ type: [LicenceResponse] }) items: LicenceResponse[];
  @ApiProperty({
    example: true,
    description:
      'False when Partner Center would not list the licences at the latest read (the Partner Center account has no licence-reading GDAP role in this customer): items is then empty because the licences are unknown, not because there are none',
  })
  licencesReadable: boolean;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the licences are not readable, with the fix' })
  licencesUnreadableReason: string | null;
}

export class LicencePage {
  @ApiProperty({ type: [LicenceResponse] }) items: LicenceResponse[];
  @ApiProperty(CURSOR) nextCursor: string | null;
}

export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: SUBSCRIPTION_ID, description: 'Partner Center subscription id' }) id: string;
  @ApiProperty({ example: 'Microsoft 365 Business Premium' }) offerName: string;
  @ApiProperty({ type: String, nullable: true, example: 'Head office' }) friendlyName: string | null;
  @ApiProperty({ example: 25 }) quantity: number;
  @ApiProperty({ type: String, nullable: true, example: 'P1Y' }) termDuration: string | null;
  @ApiProperty({ example: 'monthly' }) billingCycle: string;
  @ApiProperty({
    example: 'active',
    description: 'As Partner Center says it: active, pending, suspended, deleted, expired, disabled or none',
  })
  status: string;
  @ApiProperty({ example: true }) autoRenewEnabled: boolean;
  @ApiProperty({ example: false }) isTrial: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2027-11-01T00:00:00.000Z' }) commitmentEndDate: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-08T00:00:00.000Z' }) cancellationAllowedUntilDate:
    string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T02:01:12.000Z' }) readAt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: SKU_ID,
    description: 'The SKU of the directory subscription in the customer’s tenant that is this subscription; null while none names it',
  })
  skuId: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 25,
    description: 'Licences the customer’s directory shows for it; null while none names it',
  })
  tenantUnits: number | null;
}

export class SubscriptionList {
  @ApiProperty({ type: [SubscriptionResponse] }) items: SubscriptionResponse[];
}

export class SubscriptionPage {
  @ApiProperty({ type: [SubscriptionResponse] }) items: SubscriptionResponse[];
  @ApiProperty(CURSOR) nextCursor: string | null;
}
