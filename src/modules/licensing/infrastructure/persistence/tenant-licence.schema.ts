import { EntitySchema } from '@mikro-orm/core';
import { TenantLicence } from '../../domain/tenant-licence';

export const TenantLicenceSchema = new EntitySchema<TenantLicence>({
  class: TenantLicence,
  tableName: 'tenant_licences',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    tenantId: { type: 'uuid' },
    skuId: { type: 'text' },
    skuPartNumber: { type: 'text' },
    partnerCenterName: { type: 'text', nullable: true },
    capabilityStatus: { type: 'text' },
    activeUnits: { type: 'integer' },
    warningUnits: { type: 'integer' },
    suspendedUnits: { type: 'integer' },
    consumedUnits: { type: 'integer' },
    lockedOutUnits: { type: 'integer', default: 0 },
    changedAt: { type: 'datetime' },
  },
});
