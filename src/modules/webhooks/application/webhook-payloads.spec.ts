import { importFinishedData, MAX_FAILED_TENANTS } from './webhook-payloads';

const tenant = (i: number, read: boolean) => ({ tenantId: `t${i}`, companyName: `Tenant ${i}`, read, reason: read ? null : `Reason ${i}` });
const payload = (tenants: ReturnType<typeof tenant>[]) => ({
  importRunId: 'run',
  delegatedAdminId: 'admin',
  trigger: 'consent',
  status: 'completed' as const,
  error: null,
  startedAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:05:00.000Z',
  tenants,
});

describe('the tenants.import-finished webhook data', () => {
  it('summarises the run: counts, and the tenants that failed with their reasons', () => {
    const data = importFinishedData(payload([tenant(1, true), tenant(2, false), tenant(3, true)]));
    expect(data).toMatchObject({ importRunId: 'run', tenantsTotal: 3, tenantsRead: 2, tenantsFailed: 1, failedTenantsOmitted: 0 });
    expect(data.failedTenants).toEqual([{ tenantId: 't2', companyName: 'Tenant 2', reason: 'Reason 2' }]);
    expect(data).not.toHaveProperty('tenants');
  });

  it('lists at most a bounded number of failed tenants and says how many more there were', () => {
    const data = importFinishedData(payload(Array.from({ length: 5000 }, (_, i) => tenant(i, i % 2 === 0))));
    expect(data).toMatchObject({ tenantsTotal: 5000, tenantsFailed: 2500, failedTenantsOmitted: 2500 - MAX_FAILED_TENANTS });
    expect(data.failedTenants).toHaveLength(MAX_FAILED_TENANTS);
  });
});
