import type { DelegatedAdminSummary } from '../../../consent';
import type { ImportRun } from '../../domain/import-run';
import { alertsView, connectionView, lastImportView } from './overview.view-model';

const admin = (status: DelegatedAdminSummary['status'], statusReason: string | null = null): DelegatedAdminSummary => ({
  id: 'a1',
  accountUpn: 's365@contoso-partners.example',
  partnerDirectoryName: 'Contoso Partners',
  status,
  statusReason,
  partnerType: 'direct',
  partnerTypeDetail: null,
  partnerTypeDetectedAt: null,
  directCsp: null,
});

const run = (over: Partial<ImportRun>): ImportRun => ({
  id: 'r',
  organizationId: 'o',
  delegatedAdminId: 'a1',
  trigger: 'manual',
  status: 'completed',
  total: 25,
  done: 25,
  failed: 0,
  error: null,
  startedAt: new Date('2026-12-07T05:00:00Z'),
  listedAt: new Date('2026-12-07T05:00:01Z'),
  finishedAt: new Date('2026-12-07T05:01:00Z'),
  ...over,
});

describe('the overview', () => {
  it('offers the fix for a connection that needs re-consent or failed, with the reason', () => {
    expect(connectionView(admin('active'))).toMatchObject({ statusLabel: 'Active', statusTone: 'ok', needsFix: false });
    expect(connectionView(admin('needs_reconsent', 'Microsoft refused the refresh token (AADSTS700082).'))).toMatchObject({
      statusLabel: 'Needs re-consent',
      statusTone: 'warn',
      needsFix: true,
      reason: 'Microsoft refused the refresh token (AADSTS700082).',
    });
    expect(connectionView(admin('failed', 'Partner Center refused the customer list.'))).toMatchObject({
      statusLabel: 'Failed',
      statusTone: 'bad',
      needsFix: true,
    });
  });

  it('shows the latest finished import, and the progress of those running', () => {
    expect(lastImportView([], 0)).toBeNull();
    const older = run({ id: 'old', finishedAt: new Date('2026-12-06T05:00:00Z'), failed: 2, done: 23 });
    const running = run({
      id: 'now',
      status: 'reading',
      done: 4,
      failed: 1,
      total: 10,
      finishedAt: null,
      startedAt: new Date('2026-12-07T06:00:00Z'),
    });
    expect(lastImportView([older, running], 1)).toMatchObject({ running: true, progressDone: 5, progressTotal: 10 });
    expect(lastImportView([older, run({})], 3)).toMatchObject({
      running: false,
      read: 25,
      total: 25,
      failedNow: 3,
      failedLink: '/customers?failed=1',
    });
  });

  it('lists only the alerts with a count, each linking to its list', () => {
    const alerts = alertsView({
      tenants: 25,
      failed: 0,
      licencesUnreadable: 3,
      appNotSetUp: 0,
      blockedByPolicy: 0,
      overAssigned: 1,
      overAssignedSeats: 3,
      withUnusedSeats: 20,
      unusedSeats: 200,
    });
    expect(alerts.map((a) => [a.key, a.count, a.href])).toEqual([
      ['over-assigned', 1, '/customers?overAssigned=1'],
      ['licences-unreadable', 3, '/customers?unreadable=1'],
    ]);
    expect(alerts[0]).toMatchObject({ label: 'customer is over-assigned', detail: '3 users hold a licence nobody pays for.', tone: 'bad' });
  });
});
