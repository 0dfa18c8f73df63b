import type { Actor } from '../../../shared/application/actor';
import { ImmediateTransaction } from '../../../shared/testing/fakes';
import { InvalidRunTimeError, InvalidTimeZoneError } from '../domain';
import { fakeReconciliationQueries, InMemoryExclusions, RecordingAuditTrail } from '../infrastructure/testing/in-memory-exclusions';
import { UpdateReconciliationScheduleUseCase } from './update-reconciliation-schedule.use-case';

const actor: Actor = {
  userId: 'u-1',
  organizationId: 'org-a',
  displayName: 'Contoso Admin',
  userPrincipalName: 'admin@contoso.example',
  organizationName: 'Contoso',
  role: 'billing',
};

describe('setting when the daily reconciliation runs', () => {
  let settings: InMemoryExclusions;
  let audit: RecordingAuditTrail;
  let useCase: UpdateReconciliationScheduleUseCase;

  beforeEach(() => {
    settings = new InMemoryExclusions();
    audit = new RecordingAuditTrail();
    useCase = new UpdateReconciliationScheduleUseCase(
      settings,
      fakeReconciliationQueries({ exclusions: settings }),
      audit,
      new ImmediateTransaction(),
    );
  });

  it('sets the time zone and time, audit logged with the schedule it replaces', async () => {
    expect(await useCase.execute({ actor, timeZone: 'Europe/Amsterdam', runAt: '06:30' })).toBe(true);
    expect(settings.schedules.get('org-a')).toEqual({ timeZone: 'Europe/Amsterdam', runAt: '06:30' });
    expect(audit.entries).toEqual([
      {
        organizationId: 'org-a',
        actorUserId: 'u-1',
        actorName: 'Contoso Admin',
        action: 'licensing.schedule-changed',
        subject: 'Daily licensing reconciliation',
        outcome: 'success',
        detail: 'Runs every day at 06:30 (Europe/Amsterdam); was 02:00 (UTC).',
      },
    ]);
  });

  it('reads a one-digit hour as a 24-hour time', async () => {
    await useCase.execute({ actor, timeZone: ' UTC ', runAt: '7:05' });
    expect(settings.schedules.get('org-a')).toEqual({ timeZone: 'UTC', runAt: '07:05' });
  });

  it('changes nothing and logs nothing when the schedule is the same', async () => {
    expect(await useCase.execute({ actor, timeZone: 'UTC', runAt: '02:00' })).toBe(false);
    expect(settings.schedules.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons', runAt: '02:00' }, InvalidTimeZoneError],
    ['an empty time zone', { timeZone: '', runAt: '02:00' }, InvalidTimeZoneError],
    ['an hour past 23', { timeZone: 'UTC', runAt: '24:00' }, InvalidRunTimeError],
    ['a 12-hour time', { timeZone: 'UTC', runAt: '2pm' }, InvalidRunTimeError],
    ['no time', { timeZone: 'UTC', runAt: '' }, InvalidRunTimeError],
  ])('refuses %s, saving and logging nothing', async (_, input, error) => {
    await expect(useCase.execute({ actor, ...input })).rejects.toBeInstanceOf(error);
    expect(settings.schedules.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });
});
