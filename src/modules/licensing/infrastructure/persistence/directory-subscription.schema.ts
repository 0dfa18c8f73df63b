import { EntitySchema } from '@mikro-orm/core';
import { DirectorySubscription } from '../../domain/directory-subscription';

export const DirectorySubscriptionSchema = new EntitySchema<DirectorySubscription>({
  class: DirectorySubscription,
  tableName: 'tenant_directory_subscriptions',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    tenantId: { type: 'uuid' },
    directorySubscriptionId: { type: 'text' },
    commerceSubscriptionId: { type: 'text', nullable: true },
    skuId: { type: 'text' },
    skuPartNumber: { type: 'text' },
    status: { type: 'text' },
    totalLicenses: { type: 'integer' },
    isTrial: { type: 'boolean' },
    createdDateTime: { type: 'datetime', nullable: true },
    nextLifecycleDateTime: { type: 'datetime', nullable: true },
    ownerTenantId: { type: 'text', nullable: true },
    soldByYou: { type: 'boolean', nullable: true },
    changedAt: { type: 'datetime' },
  },
});
