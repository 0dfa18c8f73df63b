import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GDAP_LABELS, type GdapStatus } from '../../domain/gdap-access';

export const GDAP_STATUSES = Object.keys(GDAP_LABELS) as GdapStatus[];
const TENANT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const DELEGATED_ADMIN_ID = '0b6f8d2c-4e1a-4f3b-8c9d-7e6a5b4c3d2e';
const IMPORT_RUN_ID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

export class CustomerTenantResponse {
  @ApiProperty({ format: 'uuid', example: TENANT_ID, description: "The customer's Entra tenant id" }) tenantId: string;
  @ApiProperty({ example: 'Coho Winery' }) companyName: string;
  @ApiProperty({ example: 'cohowinery.example' }) domain: string;
  @ApiProperty({
    enum: ['active', 'removed'],
    example: 'active',
    description: 'removed: no longer among the partner’s customers in Partner Center',
  })
  status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) removedAt: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 25,
    description: 'Seats purchased (active + warning units) across SKUs; null until the licences were read',
  })
  purchased: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 27,
    description: 'Seats assigned (consumed units) across SKUs; null until the licences were read',
  })
  assigned: number | null;
  @ApiProperty({ example: false, description: 'Some SKU has purchased seats nobody uses' }) hasUnassignedSeats: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0,
    description:
      'Seats purchased minus seats assigned across SKUs, when more are purchased (else 0); null when the licences are not readable or not read yet',
  })
  unusedSeats: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 2,
    description:
      'Seats assigned minus seats purchased across SKUs, when more are assigned (else 0); null when the licences are not readable or not read yet',
  })
  overAssignedBy: number | null;
  @ApiProperty({
    example: true,
    description:
      'False when Partner Center would not list the licences at the latest read because the Partner Center account has no licence-reading GDAP role in this customer (purchased and assigned are then null: unknown, not zero)',
  })
  licencesReadable: boolean;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the licences are not readable, with the fix' })
  licencesUnreadableReason: string | null;
  @ApiProperty({ enum: GDAP_STATUSES, example: 'ok', description: 'Whether the service account can administer the tenant through GDAP' })
  gdapStatus: string;
  @ApiProperty({ type: [String], example: [], description: 'Required roles the GDAP relationships do not grant' })
  gdapMissingRoles: string[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the last import could not read this tenant' }) lastError:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-26T10:00:00.000Z' }) licencesReadAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-26T10:00:00.000Z' }) gdapReadAt: string | null;
  @ApiProperty({
    type: String,
    enum: ['present', 'provisioned', 'missing'],
    nullable: true,
    example: 'provisioned',
    description:
      'The Sync 365 app in the customer’s directory: present (it was there), provisioned (Sync 365 added it through Partner Center, at appProvisionedAt), missing (not there and Sync 365 could not add it: see customerAccessProblem); null until known',
  })
  appInCustomer: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-12-07T04:30:00.000Z',
    description: 'When Sync 365 added its app to this customer',
  })
  appProvisionedAt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why Microsoft refuses Sync 365 this customer’s own directory, and the fix (licences from Partner Center are still read)',
  })
  customerAccessProblem: string | null;
  @ApiProperty({
    type: String,
    enum: ['app_not_provisioned', 'conditional_access'],
    nullable: true,
    example: null,
    description:
      'app_not_provisioned: Sync 365 is not set up in this customer yet; conditional_access: the customer’s Conditional Access refuses service-provider users',
  })
  customerAccessProblemKind: string | null;
}

export class CustomerTenantPage {
  @ApiProperty({ type: [CustomerTenantResponse] }) items: CustomerTenantResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'WyJ0ZW5hbnRzIiwiY29obyB3aW5lcnkiLCIzZjJhOWMxZS03YjRkLTRlOGEtOWM2Zi0xZDJlM2Y0YTViNmMiXQ',
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}

export class GdapRelationshipResponse {
  @ApiProperty({ example: 'Sync 365 support' }) displayName: string;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2027-06-30T00:00:00.000Z' }) endDateTime: string | null;
  @ApiProperty({
    type: [String],
    example: ['Global Reader', 'Application Administrator'],
    description: 'Roles the service account holds through it',
  })
  roles: string[];
}

export class CustomerTenantDetailResponse extends CustomerTenantResponse {
  @ApiProperty({ format: 'uuid', example: DELEGATED_ADMIN_ID, description: 'The delegated admin whose import read it' })
  delegatedAdminId: string;
  @ApiProperty({ example: 'Reseller', description: 'Partner Center’s relationship to the customer' }) relationship: string;
  @ApiProperty({ type: [GdapRelationshipResponse] }) gdapRelationships: GdapRelationshipResponse[];
}

export class ImportRunResponse {
  @ApiProperty({ format: 'uuid', example: IMPORT_RUN_ID }) id: string;
  @ApiProperty({ format: 'uuid', example: DELEGATED_ADMIN_ID }) delegatedAdminId: string;
  @ApiProperty({ enum: ['consent', 'manual', 'retry', 'schedule'], example: 'manual' }) trigger: string;
  @ApiProperty({ enum: ['listing', 'reading', 'completed', 'failed'], example: 'completed' }) status: string;
  @ApiProperty({ example: 25, description: 'Customer tenants found so far' }) total: number;
  @ApiProperty({ example: 25 }) done: number;
  @ApiProperty({ example: 0 }) failed: number;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the import failed as a whole' }) error: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T10:00:00.000Z' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-26T10:02:31.000Z' }) finishedAt: string | null;
}

export class ImportRunList {
  @ApiProperty({ type: [ImportRunResponse] }) items: ImportRunResponse[];
}

export class ImportProgressResponse {
  @ApiProperty({ example: true }) running: boolean;
  @ApiProperty({ example: 12, description: 'Tenants read by the imports running now' }) done: number;
  @ApiProperty({ example: 25, description: 'Tenants the imports running now found' }) total: number;
  @ApiProperty({ example: 0 }) failed: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-25T02:03:00.000Z',
    description: 'When the latest import finished',
  })
  lastFinishedAt: string | null;
}

export class StartImportRequest {
  @ApiPropertyOptional({
    format: 'uuid',
    example: DELEGATED_ADMIN_ID,
    description: 'Only this delegated admin; every connected one when omitted',
  })
  delegatedAdminId?: string;
}

export class StartedImportsResponse {
  @ApiProperty({
    type: [ImportRunResponse],
    description: 'The started imports, and those already running (one per delegated admin at a time)',
  })
  items: ImportRunResponse[];
  @ApiProperty({ example: 1, description: 'How many of them this request started' }) started: number;
}
