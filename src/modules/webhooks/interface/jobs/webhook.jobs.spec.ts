import type { IntegrationEvent } from '../../../../shared/application/integration-event';
import { EVENT_HANDLER } from '../../../../shared/interface/jobs/job-handlers';
import type { PortalChangePayload } from '../../../portal/events';
import type { LicensingChangePayload } from '../../../reconciliation/events';
import type { DeliverWebhookUseCase } from '../../application/deliver-webhook.use-case';
import type { RecordEventDeliveriesUseCase, WebhookEvent } from '../../application/record-event-deliveries.use-case';
import type { SweepDeliveriesUseCase } from '../../application/sweep-deliveries.use-case';
import { isWebhookEventType } from '../../domain/webhook-events';
import { WebhookJobs } from './webhook.jobs';
import type { JobQueue } from '../../../../shared/application/job-queue';

const change: LicensingChangePayload = {
  runId: 'run-1',
  changeId: 'change-1',
  kind: 'subscription.suspended',
  tenantId: '0f8e2a6c-1111-4a5b-9c3d-000000000001',
  skuId: null,
  subscriptionId: 'sub-1',
  before: 'active',
  after: 'suspended',
  delta: null,
  summary: 'Adatum Corporation: Microsoft 365 E3 suspended',
};

const portalChange: PortalChangePayload = {
  requestId: 'request-1',
  tenantId: '0f8e2a6c-1111-4a5b-9c3d-000000000001',
  tenantName: 'Adatum Corporation',
  subscriptionId: 'sub-1',
  subscriptionName: 'Microsoft 365 E3',
  kind: 'increase',
  fromQuantity: 10,
  toQuantity: 12,
  status: 'pending',
  requestedBy: { name: 'Amelia Ortiz', userPrincipalName: 'amelia.ortiz@adatum.example' },
  requestedAt: '2026-11-26T09:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  comment: null,
  result: null,
  appliedQuantity: null,
  effectiveDate: null,
};

// Handlers that only map an integration event to its public webhook type: the event each one subscribes to, and
// what it records for delivery.
describe('integration events partners receive as webhooks', () => {
  it.each([
    ['onLicenceChanged', 'licensing.licence-changed', change],
    ['onPortalChangeRequested', 'portal.change-requested', portalChange],
    ['onPortalChangeDecided', 'portal.change-decided', { ...portalChange, status: 'applied', appliedQuantity: 12 }],
    ['onPortalChangeCompleted', 'portal.change-completed', { ...portalChange, status: 'applied', appliedQuantity: 12 }],
  ] as const)('%s subscribes to %s and records it for delivery under the same public type', async (method, name, payload) => {
    const recorded: WebhookEvent[] = [];
    const record = { execute: async (event: WebhookEvent) => void recorded.push(event) } as unknown as RecordEventDeliveriesUseCase;
    const jobs = new WebhookJobs(record, {} as DeliverWebhookUseCase, {} as SweepDeliveriesUseCase, {} as JobQueue);
    const handler = jobs[method] as (event: IntegrationEvent<object>) => Promise<void>;
    const event: IntegrationEvent<object> = {
      id: 'event-1',
      name,
      organizationId: 'org-1',
      occurredAt: '2026-11-26T10:00:00.000Z',
      payload,
    };

    expect(Reflect.getMetadata(EVENT_HANDLER, handler)).toBe(name);
    expect(isWebhookEventType(name)).toBe(true);
    await handler.call(jobs, event);

    expect(recorded).toEqual([
      { id: 'event-1', organizationId: 'org-1', occurredAt: '2026-11-26T10:00:00.000Z', type: name, data: payload },
    ]);
  });
});
