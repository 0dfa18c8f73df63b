import { JobQueue } from '../../../shared/application/job-queue';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { StaffDirectory, type StaffMember } from '../../accounts';
import { OrganizationTimeZone } from '../../reconciliation';
import type { AlertCondition } from '../domain/alert-facts';
import { InMemoryAlerts } from '../infrastructure/testing/in-memory-alerts';
import { PlanAlertEmailsUseCase } from './plan-alert-emails.use-case';
import { Mailer } from './ports/mailer.port';

const ORG = 'org-1';
const ADA: StaffMember = { userId: 'u-ada', displayName: 'Ada', emailAddress: 'ada@contoso.example' };
const BOB: StaffMember = { userId: 'u-bob', displayName: 'Bob', emailAddress: 'bob@contoso.example' };

class Staff extends StaffDirectory {
  async members() {
    return [ADA, BOB];
  }
  async member(_: string, userId: string) {
    return [ADA, BOB].find((m) => m.userId === userId) ?? null;
  }
  async organizationName() {
    return 'Contoso Partners';
  }
}

class Zone extends OrganizationTimeZone {
  async of() {
    return 'Europe/Paris';
  }
}

class Jobs extends JobQueue {
  readonly queued: object[] = [];
  async enqueue(_: string, data: object) {
    this.queued.push(data);
    return 'job';
  }
  async enqueueMany() {}
  async hasUnfinished() {
    return false;
  }
}

class NoMail extends Mailer {
  constructor(readonly configured: boolean) {
    super();
  }
  async send() {}
}

const condition = (key: string, severity: AlertCondition['severity'], rule: AlertCondition['rule'] = 'over-assigned'): AlertCondition => ({
  key,
  rule,
  severity,
  tenantId: 't1',
  tenantName: 'Coho Winery',
  skuId: null,
  title: key,
  action: 'Do it.',
});

describe('planning alert e-mail', () => {
  const setup = async (configured = true) => {
    const alerts = new InMemoryAlerts();
    const clock = new FixedClock(new Date('2026-12-07T23:30:00Z'));
    const jobs = new Jobs();
    const plan = new PlanAlertEmailsUseCase(
      alerts,
      new Staff(),
      new Zone(),
      new NoMail(configured),
      jobs,
      new ImmediateTransaction(),
      clock,
    );
    await alerts.open(
      ORG,
      [
        { id: 'a-critical', condition: condition('critical', 'critical') },
        { id: 'a-gdap', condition: condition('gdap', 'warning', 'gdap-expired') },
        { id: 'a-renewal', condition: condition('renewal', 'info', 'unused-seats-before-renewal') },
      ],
      clock.now(),
    );
    return { alerts, clock, jobs, plan };
  };

  it('records one immediate mail per critical alert and one digest of the rest per person, keyed by the local day, then nothing more that day', async () => {
    const { alerts, jobs, plan } = await setup();
    expect(await plan.execute(ORG)).toBe(4);
    expect(alerts.emails.map((e) => [e.staffUserId, e.kind, e.dedupeKey, e.alertIds])).toEqual([
      ['u-ada', 'immediate', 'a-critical', ['a-critical']],
      ['u-ada', 'digest', '2026-12-08', ['a-gdap', 'a-renewal']],
      ['u-bob', 'immediate', 'a-critical', ['a-critical']],
      ['u-bob', 'digest', '2026-12-08', ['a-gdap', 'a-renewal']],
    ]);
    expect(jobs.queued).toHaveLength(4);
    expect(await plan.execute(ORG)).toBe(0);
  });

  it('mails nothing muted or unsubscribed, a weekly digest to who asked for it, and critical alerts in the digest of who wants no immediate mail', async () => {
    const { alerts, clock, plan } = await setup();
    await alerts.addMute({
      id: 'm1',
      organizationId: ORG,
      rule: 'gdap-expired',
      tenantId: null,
      skuId: null,
      reason: 'Known',
      until: null,
      createdAt: clock.now(),
      createdByName: 'Ada',
    });
    await alerts.saveEmailPreferences(ORG, 'u-ada', {
      immediate: true,
      digest: 'weekly',
      unsubscribedRules: ['unused-seats-before-renewal'],
    });
    await alerts.saveEmailPreferences(ORG, 'u-bob', { immediate: false, digest: 'daily', unsubscribedRules: [] });
    await plan.execute(ORG);
    expect(alerts.emails.map((e) => [e.staffUserId, e.kind, e.dedupeKey, e.alertIds])).toEqual([
      ['u-ada', 'immediate', 'a-critical', ['a-critical']],
      ['u-bob', 'digest', '2026-12-08', ['a-critical', 'a-renewal']],
    ]);
  });

  it('records nothing while no SMTP server is configured', async () => {
    const { alerts, plan } = await setup(false);
    expect(await plan.execute(ORG)).toBe(0);
    expect(alerts.emails).toEqual([]);
  });
});
