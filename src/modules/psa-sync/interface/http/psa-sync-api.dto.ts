import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const RUN_ID = '5b2c7e1a-9d3f-4a6b-8c1d-2e3f4a5b6c7d';
const TENANT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';

export class PsaSyncRunResponse {
  @ApiProperty({ example: RUN_ID, format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['connectwise', 'autotask'], example: 'connectwise' }) psa: string;
  @ApiProperty({ enum: ['reconciliation', 'sync-now', 'dry-run'], example: 'sync-now', description: 'What started it' }) trigger: string;
  @ApiProperty({ example: 'Megan Bowen', description: 'Who started it (a person, an API key, or the daily reconciliation)' })
  triggeredBy: string;
  @ApiProperty({
    enum: ['running', 'completed', 'failed', 'dry-run', 'stopped'],
    example: 'completed',
    description:
      'failed: at least one customer was refused by the PSA (the others were synced); stopped: its retries ran out (the PSA kept failing), the next run starts over',
  })
  status: string;
  @ApiProperty({ example: '2026-12-07T06:30:00.000Z' }) startedAt: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-07T06:30:04.000Z' }) finishedAt: string | null;
  @ApiProperty({ example: 24, description: 'Mapped customers in the run' }) tenants: number;
  @ApiProperty({ example: 1, description: 'Lines written (a dry run: lines that would be written)' }) changedLines: number;
  @ApiProperty({ example: 0 }) failedTenants: number;
}

export class PsaSyncLineResponse {
  @ApiProperty({ example: 'M365-BUS-STD — Microsoft 365 Business Standard' }) product: string;
  @ApiProperty({ example: '251', description: 'The PSA’s product (ConnectWise catalog item) or service (Autotask) id' })
  psaProductId: string;
  @ApiProperty({ example: 20 }) before: number;
  @ApiProperty({ example: 22 }) after: number;
  @ApiProperty({ enum: ['unchanged', 'new', 'increase', 'decrease', 'removed', 'conflict'], example: 'increase' }) outcome: string;
  @ApiProperty({
    type: [String],
    example: ['Add prorated addition: +2 from 2026-12-07 to 2026-12-31', 'Change addition 1034: quantity 22'],
  })
  writes: string[];
  @ApiProperty({ example: 'Prorated addition 1201 created; Addition 1034 now 22 at 12.5', description: 'The PSA’s answer, or the problem' })
  answer: string;
}

export class PsaSyncTenantResponse {
  @ApiProperty({ example: TENANT_ID, format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'Nod Publishers' }) companyName: string;
  @ApiProperty({ enum: ['synced', 'unchanged', 'failed', 'planned'], example: 'synced' }) status: string;
  @ApiProperty({ example: '2 writes accepted' }) message: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'What to do when it failed' }) fix: string | null;
  @ApiProperty({ type: [PsaSyncLineResponse] }) lines: PsaSyncLineResponse[];
}

export class PsaSyncRunList {
  @ApiProperty({ type: [PsaSyncRunResponse] }) items: PsaSyncRunResponse[];
}

export class PsaSyncRunDetailResponse extends PsaSyncRunResponse {
  @ApiProperty({ type: [PsaSyncTenantResponse] }) customers: PsaSyncTenantResponse[];
}

export class PsaSyncRequest {
  @ApiPropertyOptional({
    example: true,
    description: 'true: compute what would be written and send nothing (answered at once, 201); false or absent: start a sync (202)',
  })
  dryRun?: boolean;
}

export class PsaSyncStartedResponse {
  @ApiProperty({ example: RUN_ID, format: 'uuid', description: 'The run’s id; GET /api/v1/billing/psa-syncs/{runId} once it has finished' })
  id: string;
  @ApiProperty({ example: true, description: 'false: a sync was already waiting to start, and covers this request' }) queued: boolean;
}
