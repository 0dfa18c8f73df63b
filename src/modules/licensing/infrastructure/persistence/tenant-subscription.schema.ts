import { EntitySchema } from '@mikro-orm/core';
import { TenantSubscription } from '../../domain/tenant-subscription';

export const TenantSubscriptionSchema = new EntitySchema<TenantSubscription>({
  class: TenantSubscription,
  tableName: 'tenant_subscriptions',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    tenantId: { type: 'uuid' },
    subscriptionId: { type: 'text' },
    offerId: { type: 'text' },
    offerName: { type: 'text' },
    friendlyName: { type: 'text', nullable: true },
    quantity: { type: 'integer' },
    unitType: { type: 'text', nullable: true },
    termDuration: { type: 'text', nullable: true },
    billingCycle: { type: 'text' },
    status: { type: 'text' },
    autoRenewEnabled: { type: 'boolean' },
    isTrial: { type: 'boolean' },
    creationDate: { type: 'datetime', nullable: true },
    effectiveStartDate: { type: 'datetime', nullable: true },
    commitmentEndDate: { type: 'datetime', nullable: true },
    cancellationAllowedUntilDate: { type: 'datetime', nullable: true },
    refundableQuantity: { type: 'integer', nullable: true },
    refundableUntil: { type: 'datetime', nullable: true },
    scheduledQuantity: { type: 'integer', nullable: true },
    catalogueProductId: { type: 'text', nullable: true },
    catalogueSkuId: { type: 'text', nullable: true },
    catalogueName: { type: 'text', nullable: true },
    changedAt: { type: 'datetime' },
  },
});
