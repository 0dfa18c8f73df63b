import { EntitySchema } from '@mikro-orm/core';
import { DelegatedAdmin } from '../../domain/delegated-admin';

export const DelegatedAdminSchema = new EntitySchema<DelegatedAdmin>({
  class: DelegatedAdmin,
  tableName: 'delegated_admins',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    partnerTenantId: { type: 'uuid' },
    partnerDirectoryName: { type: 'text', nullable: true },
    accountObjectId: { type: 'uuid' },
    accountUpn: { type: 'text' },
    accountDisplayName: { type: 'text' },
    status: { type: 'text' },
    statusReason: { type: 'text', nullable: true },
    mfaVerified: { type: 'boolean' },
    adminAgentVerified: { type: 'boolean' },
    partnerType: { type: 'text', nullable: true },
    partnerTypeDetail: { type: 'text', nullable: true },
    partnerTypeDetectedAt: { type: 'datetime', nullable: true },
    directCsp: { type: 'text' },
    directCspConfirmedAt: { type: 'datetime', nullable: true },
    directCspConfirmedByUserId: { type: 'uuid', nullable: true },
    directCspConfirmedByName: { type: 'text', nullable: true },
    directCspEvidence: { type: 'text', nullable: true },
    grantedAt: { type: 'datetime' },
    grantedByUserId: { type: 'uuid', nullable: true },
    grantedByName: { type: 'text' },
    lastUsedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
