import { DEFAULT_RETRY_DELAYS_SECONDS } from '../../domain/delivery-schedule';
import { endpointSummaryView, retrySpan } from './webhooks.view-model';

const endpoint = {
  id: 'e1',
  organizationId: 'o1',
  url: 'https://hooks.example.com/',
  events: ['tenants.import-finished' as const],
  createdAt: new Date('2026-11-27T10:00:00Z'),
  createdByName: 'Ada',
  secretRotatedAt: null,
};
const last = (state: 'pending' | 'retrying' | 'delivered' | 'failed', lastStatus: number | null, lastError: string | null) => ({
  eventType: 'tenants.import-finished',
  state,
  createdAt: new Date('2026-11-27T11:00:00Z'),
  lastStatus,
  lastError,
});

describe('the Webhooks page', () => {
  it('says how long a failing delivery is tried in words', () => {
    expect(retrySpan(DEFAULT_RETRY_DELAYS_SECONDS)).toBe('about an hour');
    expect(retrySpan([1, 1])).toBe('2 seconds');
    expect(retrySpan([600, 600, 600])).toBe('about 30 minutes');
  });

  it('shows an endpoint’s health from its latest delivery, with the reason when it fails', () => {
    expect(endpointSummaryView({ ...endpoint, lastDelivery: null }).status.label).toBe('No deliveries yet');
    expect(endpointSummaryView({ ...endpoint, lastDelivery: last('delivered', 200, null) })).toMatchObject({
      status: { label: 'Working', badge: 'ok' },
      lastDelivery: { label: 'Delivered', outcome: 'HTTP 200', eventLabel: 'Import finished' },
    });
    expect(endpointSummaryView({ ...endpoint, lastDelivery: last('failed', null, 'No answer within 10 seconds.') })).toMatchObject({
      status: { label: 'Failing', badge: 'bad' },
      lastDelivery: { outcome: 'No answer within 10 seconds.' },
    });
    expect(endpointSummaryView({ ...endpoint, lastDelivery: last('retrying', 500, 'The endpoint answered 500.') }).status.label).toBe(
      'Retrying',
    );
  });
});
