import { integrationEvent } from '../../../../shared/application/integration-event';
import type { TenantLicencesReadPayload } from '../../../tenants';
import type { RecordTenantLicencesCommand, RecordTenantLicencesUseCase } from '../../application/record-tenant-licences.use-case';
import { directorySubscriptionSnapshot, skuSnapshot } from '../../infrastructure/testing/licence-snapshots';
import { TENANT_LICENCES_READ } from '../../../tenants/events';
import { TenantLicencesReadHandler } from './tenant-licences-read.handler';

function setup() {
  const commands: RecordTenantLicencesCommand[] = [];
  const useCase = {
    execute: async (command: RecordTenantLicencesCommand) => void commands.push(command),
  } as unknown as RecordTenantLicencesUseCase;
  return { commands, handler: new TenantLicencesReadHandler(useCase) };
}

const payload: TenantLicencesReadPayload = {
  importRunId: 'run-1',
  delegatedAdminId: 'da-1',
  tenantId: 'tenant-1',
  readAt: '2026-11-26T10:00:00.000Z',
  skus: [skuSnapshot()],
  subscriptions: [],
};

describe('the tenants.tenant-licences-read handler', () => {
  it("records the read for the event's organization", async () => {
    const { commands, handler } = setup();
    await handler.onTenantLicencesRead(integrationEvent(TENANT_LICENCES_READ, 'org-1', payload, new Date()));
    expect(commands).toEqual([
      {
        organizationId: 'org-1',
        importRunId: 'run-1',
        tenantId: 'tenant-1',
        readAt: payload.readAt,
        skus: payload.skus,
        subscriptions: [],
      },
    ]);
  });

  it("hands on the customer's directory subscriptions, or why they could not be read", async () => {
    const { commands, handler } = setup();
    const read = { subscriptions: [directorySubscriptionSnapshot()] };
    await handler.onTenantLicencesRead(integrationEvent(TENANT_LICENCES_READ, 'org-1', { ...payload, directory: read }, new Date()));
    await handler.onTenantLicencesRead(
      integrationEvent(TENANT_LICENCES_READ, 'org-1', { ...payload, directory: { unreadable: 'No GDAP.' } }, new Date()),
    );
    expect(commands.map((c) => c.directory)).toEqual([read, { unreadable: 'No GDAP.' }]);
  });

  it('refuses a directory without its subscriptions list rather than deleting every directory subscription', async () => {
    const { commands, handler } = setup();
    const broken = { ...payload, directory: { subscriptions: null } } as unknown as TenantLicencesReadPayload;
    await expect(handler.onTenantLicencesRead(integrationEvent(TENANT_LICENCES_READ, 'org-1', broken, new Date()))).rejects.toThrow(
      'nothing was recorded',
    );
    expect(commands).toEqual([]);
  });

  it('refuses a payload without its SKU list rather than deleting every licence of the tenant', async () => {
    const { commands, handler } = setup();
    const broken = { ...payload, skus: undefined } as unknown as TenantLicencesReadPayload;
    await expect(handler.onTenantLicencesRead(integrationEvent(TENANT_LICENCES_READ, 'org-1', broken, new Date()))).rejects.toThrow(
      'nothing was recorded',
    );
    expect(commands).toEqual([]);
  });

  it('hands on licences Partner Center would not list as unreadable, with the reason, never as an empty list', async () => {
    const { commands, handler } = setup();
    await handler.onTenantLicencesRead(
      integrationEvent(TENANT_LICENCES_READ, 'org-1', { ...payload, skus: [], licences: { unreadable: 'GDAP role missing.' } }, new Date()),
    );
    await handler.onTenantLicencesRead(
      integrationEvent(TENANT_LICENCES_READ, 'org-1', { ...payload, licences: { skus: payload.skus } }, new Date()),
    );
    expect(commands.map((c) => [c.skus, c.licencesUnreadable])).toEqual([
      [[], 'GDAP role missing.'],
      [payload.skus, undefined],
    ]);
  });

  it('refuses licences with neither a SKU list nor a reason', async () => {
    const { commands, handler } = setup();
    const broken = { ...payload, licences: { skus: null } } as unknown as TenantLicencesReadPayload;
    await expect(handler.onTenantLicencesRead(integrationEvent(TENANT_LICENCES_READ, 'org-1', broken, new Date()))).rejects.toThrow(
      'nothing was recorded',
    );
    expect(commands).toEqual([]);
  });
});
