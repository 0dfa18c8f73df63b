import { ApiProperty } from '@nestjs/swagger';
import { CHANGE_KINDS, DISCREPANCY_KINDS } from '../../domain';

const TENANT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const RUN_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const DELEGATED_ADMIN_ID = '0b6f8d2c-4e1a-4f3b-8c9d-7e6a5b4c3d2e';
const SKU_ID = 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46';
const SUBSCRIPTION_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const CURSOR = {
  type: String,
  nullable: true,
  example: 'WyJsaWNlbmNlcyIsIjNmMmE5YzFlLTdiNGQtNGU4YS05YzZmLTFkMmUzZjRhNWI2YyIsImNiZGMxNGFiLWQ5NmMtNGMzMC1iOWY0LTZhZGE3Y2RjMWQ0NiJd',
  description: 'Pass as `cursor` for the next page; null on the last page',
};

export class ReconciliationRunResponse {
  @ApiProperty({ format: 'uuid', example: RUN_ID }) id: string;
  @ApiProperty({ format: 'uuid', example: DELEGATED_ADMIN_ID }) delegatedAdminId: string;
  @ApiProperty({
    enum: ['schedule', 'manual', 'consent', 'retry'],
    example: 'schedule',
    description: 'schedule: the daily run; manual: Run the reconciliation now, by hand; consent: the first import of an account',
  })
  trigger: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T02:00:00.000Z' }) startedAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T02:03:10.000Z' }) finishedAt: string;
  @ApiProperty({ example: 190000 }) durationMs: number;
  @ApiProperty({ example: 25 }) tenantsRead: number;
  @ApiProperty({ example: 0 }) tenantsFailed: number;
  @ApiProperty({ example: 3, description: 'Changes since the delegated admin’s previous run' }) changes: number;
  @ApiProperty({ example: 7 }) openDiscrepancies: number;
  @ApiProperty({ example: 1, description: 'Discrepancies an exclusion silenced' }) silencedDiscrepancies: number;
  @ApiProperty({ type: String, nullable: true, example: null }) error: string | null;
}

export class ReconciliationRunPage {
  @ApiProperty({ type: [ReconciliationRunResponse] }) items: ReconciliationRunResponse[];
  @ApiProperty(CURSOR) nextCursor: string | null;
}

export class ReconciliationRequestedResponse {
  @ApiProperty({ format: 'date-time', example: '2026-11-26T14:05:00.000Z' }) requestedAt: string;
  @ApiProperty({
    example: 'Every tenant is read again now; each finished import becomes a reconciliation run (GET /api/v1/reconciliation-runs).',
  })
  message: string;
}

export class LicensingChangeResponse {
  @ApiProperty({ format: 'uuid', example: '6c5b4a3f-2e1d-4c0b-9a8f-7e6d5c4b3a2f' }) id: string;
  @ApiProperty({ format: 'uuid', example: RUN_ID }) runId: string;
  @ApiProperty({ enum: CHANGE_KINDS, example: 'subscription.quantity-changed' }) kind: string;
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Coho Winery' }) companyName: string;
  @ApiProperty({ type: String, nullable: true, example: null }) skuId: string | null;
  @ApiProperty({ type: String, nullable: true, example: SUBSCRIPTION_ID }) subscriptionId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '50', description: 'Seat counts, ISO instants, statuses or names, as text' })
  before: string | null;
  @ApiProperty({ type: String, nullable: true, example: '55' }) after: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 5, description: 'after − before for seat counts' }) delta: number | null;
  @ApiProperty({ example: 'Coho Winery: Microsoft 365 Business Premium quantity 50 → 55' }) summary: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T02:03:10.000Z' }) occurredAt: string;
}

export class LicensingChangePage {
  @ApiProperty({ type: [LicensingChangeResponse] }) items: LicensingChangeResponse[];
  @ApiProperty(CURSOR) nextCursor: string | null;
}

export class SilencedByResponse {
  @ApiProperty({ format: 'uuid', example: '1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a0b' }) exclusionId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Billed separately', description: 'Null when the exclusion was removed since' })
  reason: string | null;
}

export class DiscrepancyResponse {
  @ApiProperty({ format: 'uuid', example: RUN_ID }) runId: string;
  @ApiProperty({ example: `over-assigned|${TENANT_ID}|${SKU_ID}|`, description: 'Stable across runs for the same problem' }) key: string;
  @ApiProperty({ enum: DISCREPANCY_KINDS, example: 'over-assigned' }) kind: string;
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Coho Winery' }) companyName: string;
  @ApiProperty({ type: String, nullable: true, example: SKU_ID }) skuId: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) subscriptionId: string | null;
  @ApiProperty({ enum: ['high', 'medium', 'low'], example: 'high' }) severity: string;
  @ApiProperty({ example: 'More users than paid seats' }) title: string;
  @ApiProperty({ example: '27 users are assigned Microsoft 365 Business Premium, but 25 seats are paid for.' }) explanation: string;
  @ApiProperty({ example: 'Buy 2 more seats, or remove the licence from 2 users.' }) action: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null, description: 'The last moment the action helps' })
  actBy: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { purchased: 25, assigned: 27 } }) figures: Record<
    string,
    number
  >;
  @ApiProperty({ type: SilencedByResponse, nullable: true, description: 'The exclusion that silenced it; null when open' })
  silencedBy: SilencedByResponse | null;
}

export class DiscrepancyPage {
  @ApiProperty({ type: [DiscrepancyResponse] }) items: DiscrepancyResponse[];
  @ApiProperty(CURSOR) nextCursor: string | null;
}

export class MonthEndRunResponse {
  @ApiProperty({ format: 'uuid', example: RUN_ID }) runId: string;
  @ApiProperty({ format: 'uuid', example: DELEGATED_ADMIN_ID }) delegatedAdminId: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-31T02:03:10.000Z' }) finishedAt: string;
}

export class MonthEndResponse {
  @ApiProperty({ example: '2026-10', description: 'YYYY-MM in the organization’s reconciliation time zone' }) month: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T02:03:10.000Z', description: 'When the snapshot was kept' }) frozenAt: string;
  @ApiProperty({ type: [MonthEndRunResponse], description: 'The last run of the month of each delegated admin' })
  runs: MonthEndRunResponse[];
}

export class MonthEndList {
  @ApiProperty({ type: [MonthEndResponse] }) items: MonthEndResponse[];
}

export class SnapshotLicenceResponse {
  @ApiProperty({ format: 'uuid', example: RUN_ID }) runId: string;
  @ApiProperty({ format: 'date-time', example: '2026-10-31T02:03:10.000Z' }) snapshotAt: string;
  @ApiProperty({ format: 'uuid', example: TENANT_ID }) tenantId: string;
  @ApiProperty({ example: 'Coho Winery' }) companyName: string;
  @ApiProperty({ example: true, description: 'false: the run could not read the tenant; the figures are its last known ones' })
  tenantRead: boolean;
  @ApiProperty({ example: SKU_ID }) skuId: string;
  @ApiProperty({ example: 'SPB' }) skuPartNumber: string;
  @ApiProperty({ example: 'Microsoft 365 Business Premium' }) productName: string;
  @ApiProperty({ example: 25 }) purchased: number;
  @ApiProperty({ example: 27 }) assigned: number;
  @ApiProperty({ example: -2 }) available: number;
  @ApiProperty({ example: 0 }) suspended: number;
  @ApiProperty({ example: 0 }) warning: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 25,
    description: 'The quantity of the partner’s Partner Center subscriptions for the SKU',
  })
  partnerCenterQuantity: number | null;
  @ApiProperty({ type: Boolean, nullable: true, example: true, description: 'Null when the customer’s directory was never read' })
  soldByYou: boolean | null;
  @ApiProperty({ example: false, description: 'A free product (not billed)' }) free: boolean;
}

export class SnapshotLicencePage {
  @ApiProperty({ type: [SnapshotLicenceResponse] }) items: SnapshotLicenceResponse[];
  @ApiProperty(CURSOR) nextCursor: string | null;
}
