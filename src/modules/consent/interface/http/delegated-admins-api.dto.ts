import { ApiProperty } from '@nestjs/swagger';

export class DelegatedAdminResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f8d2c-4e1a-4f3b-8c9d-7e6a5b4c3d2e' }) id: string;
  @ApiProperty({ example: 's365@contoso-partners.example', description: 'The Partner Center service account' }) accountUpn: string;
  @ApiProperty({ example: 'Sync 365 Service Account' }) accountDisplayName: string;
  @ApiProperty({ format: 'uuid', example: '7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f', description: 'The partner’s own Entra tenant' })
  partnerTenantId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Contoso Partners' }) partnerDirectoryName: string | null;
  @ApiProperty({
    enum: ['active', 'needs_reconsent', 'failed'],
    example: 'active',
    description: 'needs_reconsent: grant consent again; failed: Partner Center refuses the account (statusReason says why)',
  })
  status: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why it is not active, in plain words' }) statusReason:
    string | null;
  @ApiProperty({
    enum: ['direct', 'indirect_provider', 'indirect_reseller'],
    nullable: true,
    example: 'direct',
    description: 'Detected after consent; null until then or when Partner Center could not tell',
  })
  partnerType: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Partner Center lists invoices for this partner: Microsoft bills it directly.' })
  partnerTypeDetail: string | null;
  @ApiProperty({ example: false, description: 'A partner admin confirmed Direct CSP with the Direct CSP test' }) directCsp: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) directCspConfirmedAt: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:15:00.000Z', description: 'When consent was (last) granted' })
  grantedAt: string;
  @ApiProperty({ example: 'Contoso Admin', description: 'Who granted it' }) grantedByName: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-26T02:00:04.000Z',
    description: 'When Sync 365 last used the consent',
  })
  lastUsedAt: string | null;
}

export class DelegatedAdminList {
  @ApiProperty({ type: [DelegatedAdminResponse] }) items: DelegatedAdminResponse[];
}
