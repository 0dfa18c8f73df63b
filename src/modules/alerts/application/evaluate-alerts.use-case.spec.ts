import { EventOutbox, type IntegrationEvent } from '../../../shared/application/integration-event';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import type { AlertCondition, AlertFacts, TenantFacts } from '../domain/alert-facts';
import { InMemoryAlerts } from '../infrastructure/testing/in-memory-alerts';
import { AlertConditionSources } from './alert-condition-sources';
import { AlertFactsReader } from './alert-facts.reader';
import { EvaluateAlertsUseCase } from './evaluate-alerts.use-case';

const ORG = 'org-1';

class Outbox extends EventOutbox {
  readonly events: IntegrationEvent<object>[] = [];
  publish(event: IntegrationEvent<object>): void {
    this.events.push(event);
  }
}

// What the other modules' facades would say, set by each test.
class FixedFacts extends AlertFactsReader {
  facts: AlertFacts = { tenants: [], connections: [], external: [] };
  constructor() {
    super(undefined as never, undefined as never, undefined as never, undefined as never, undefined as never);
  }
  // One tenant per page: conditions found on different pages make one evaluation.
  override async *tenantPages(): AsyncIterable<TenantFacts[]> {
    for (const tenant of this.facts.tenants) yield [tenant];
  }
  override async organizationFacts(): Promise<Omit<AlertFacts, 'tenants'>> {
    return { connections: this.facts.connections, external: this.facts.external };
  }
}

function coho(assigned: number): TenantFacts {
  return {
    tenantId: 't-coho',
    companyName: 'Coho Winery',
    gdapStatus: 'ok',
    gdapMissingRoles: [],
    gdapRelationships: [],
    appStatus: 'present',
    accessProblemKind: null,
    lastError: null,
    licences: [
      { skuId: 'sku-bp', productName: 'Microsoft 365 Business Premium', purchased: 12, assigned, suspended: 0, warning: 0, lockedOut: 0 },
    ],
    subscriptions: [],
  };
}

describe('evaluating an organization’s alerts', () => {
  const setup = () => {
    const alerts = new InMemoryAlerts();
    const outbox = new Outbox();
    const clock = new FixedClock(new Date('2026-12-07T10:00:00Z'));
    const facts = new FixedFacts();
    const useCase = new EvaluateAlertsUseCase(facts, alerts, outbox, new ImmediateTransaction(), clock);
    return { alerts, outbox, clock, facts, useCase };
  };

  it('opens an alert once, keeps its words current while it lasts, and resolves it when the condition clears', async () => {
    const { alerts, outbox, clock, facts, useCase } = setup();
    facts.facts = { tenants: [coho(15)], connections: [], external: [] };
    expect((await useCase.execute(ORG)).opened.map((a) => a.title)).toEqual([
      'Coho Winery: Microsoft 365 Business Premium is over-assigned by 3 seats (15 assigned, 12 purchased)',
    ]);

    clock.current = new Date('2026-12-07T11:00:00Z');
    facts.facts = { tenants: [coho(16)], connections: [], external: [] };
    const again = await useCase.execute(ORG);
    expect(again.opened).toEqual([]);
    expect(alerts.alerts).toHaveLength(1);
    expect(alerts.alerts[0]).toMatchObject({
      title: expect.stringContaining('over-assigned by 4 seats'),
      openedAt: new Date('2026-12-07T10:00:00Z'),
      lastSeenAt: clock.current,
    });

    facts.facts = { tenants: [coho(12)], connections: [], external: [] };
    expect((await useCase.execute(ORG)).resolved.map((a) => a.rule)).toEqual(['over-assigned']);
    expect(outbox.events.map((e) => e.name)).toEqual(['alerts.alert-opened', 'alerts.alert-resolved']);
    expect(outbox.events[1].payload).toMatchObject({ key: 'over-assigned:t-coho:sku-bp', resolvedAt: clock.current.toISOString() });
    expect(alerts.evaluations.get(ORG)).toEqual(clock.current);
  });

  it('opens a new alert when the same condition comes back after it was resolved', async () => {
    const { alerts, facts, useCase } = setup();
    for (const assigned of [15, 12, 15]) {
      facts.facts = { tenants: [coho(assigned)], connections: [], external: [] };
      await useCase.execute(ORG);
    }
    expect(alerts.alerts.map((a) => a.resolvedAt === null)).toEqual([false, true]);
  });

  it('evaluates every page of tenants: a condition on a later page opens and resolves like one on the first', async () => {
    const { facts, useCase } = setup();
    const fabrikam = { ...coho(14), tenantId: 't-fabrikam', companyName: 'Fabrikam' };
    facts.facts = { tenants: [coho(15), fabrikam], connections: [], external: [] };
    expect((await useCase.execute(ORG)).opened.map((a) => a.tenantName)).toEqual(['Coho Winery', 'Fabrikam']);

    facts.facts = { tenants: [coho(15), { ...fabrikam, licences: [] }], connections: [], external: [] };
    const second = await useCase.execute(ORG);
    expect(second.resolved.map((a) => a.tenantName)).toEqual(['Fabrikam']);
    expect(second.open).toBe(1);
  });

  it('takes conditions another module reports through the extension point, under the organization’s rule settings', async () => {
    const sources = new AlertConditionSources();
    const psaFailed: AlertCondition = {
      key: 'psa-sync-failed:conn-1',
      rule: 'psa-sync-failed',
      severity: 'warning',
      tenantId: null,
      tenantName: null,
      skuId: null,
      title: 'The PSA sync failed',
      action: 'Check the PSA connection.',
    };
    sources.register({ name: 'psa', conditionsOf: async (organizationId) => (organizationId === ORG ? [psaFailed] : []) });
    expect(await sources.conditionsOf(ORG)).toEqual([psaFailed]);
    expect(await sources.conditionsOf('other')).toEqual([]);

    const { alerts, facts, useCase } = setup();
    facts.facts = { tenants: [], connections: [], external: await sources.conditionsOf(ORG) };
    expect((await useCase.execute(ORG)).opened.map((a) => a.key)).toEqual(['psa-sync-failed:conn-1']);
    await alerts.saveRuleSetting(ORG, {
      rule: 'psa-sync-failed',
      enabled: false,
      thresholdDays: null,
      updatedAt: new Date(),
      updatedByName: 'Ada',
    });
    expect((await useCase.execute(ORG)).resolved.map((a) => a.key)).toEqual(['psa-sync-failed:conn-1']);
  });
});
