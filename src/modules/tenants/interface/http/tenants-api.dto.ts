import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CustomerTenantResponse {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ example: 'Coho Winery' }) companyName: string;
  @ApiProperty({ example: 'cohowinery.example' }) domain: string;
  @ApiProperty({ enum: ['active', 'removed'] }) status: string;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Seats purchased (active + warning units) across SKUs' }) purchased: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Seats assigned (consumed units)' }) assigned: number | null;
  @ApiProperty() hasUnassignedSeats: boolean;
  @ApiProperty({ enum: ['ok', 'missing_roles', 'expired', 'no_gdap', 'unknown'] }) gdapStatus: string;
  @ApiProperty({ type: [String], example: ['Application Administrator'] }) gdapMissingRoles: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why the last import could not read this tenant' }) lastError: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) licencesReadAt: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) gdapReadAt: string | null;
}

export class CustomerTenantPage {
  @ApiProperty({ type: [CustomerTenantResponse] }) items: CustomerTenantResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class LicenceResponse {
  @ApiProperty() skuId: string;
  @ApiProperty({ example: 'SPB' }) skuPartNumber: string;
  @ApiProperty({ example: 'Microsoft 365 Business Premium' }) productName: string;
  @ApiProperty() capabilityStatus: string;
  @ApiProperty() purchased: number;
  @ApiProperty() assigned: number;
  @ApiProperty() available: number;
  @ApiProperty() suspended: number;
  @ApiProperty() warning: number;
  @ApiProperty({ format: 'date-time' }) readAt: string;
}

export class ImportRunResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) delegatedAdminId: string;
  @ApiProperty({ enum: ['consent', 'manual', 'retry', 'schedule'] }) trigger: string;
  @ApiProperty({ enum: ['listing', 'reading', 'completed', 'failed'] }) status: string;
  @ApiProperty({ description: 'Customer tenants found so far' }) total: number;
  @ApiProperty() done: number;
  @ApiProperty() failed: number;
  @ApiPropertyOptional({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class ImportProgressResponse {
  @ApiProperty() running: boolean;
  @ApiProperty() done: number;
  @ApiProperty() total: number;
  @ApiProperty() failed: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) lastFinishedAt: string | null;
}

export class StartImportRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this delegated admin; all connected ones when omitted' }) delegatedAdminId?: string;
}
