import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { PSA_SYNC_COMPLETED, PSA_SYNC_FAILED } from '../events';
import type { PsaConnection } from '../domain/psa-connection';
import { InvalidPsaInputError, PsaNotConnectedError, PsaRefusedError, RetryablePsaError } from '../domain/psa-sync.errors';
import {
  FakeBillingForPsa,
  FakePsaGateway,
  InMemoryPsaSyncRepository,
  RecordingAudit,
  RecordingEvents,
} from '../infrastructure/testing/in-memory-psa-sync';
import { ConnectPsaUseCase } from './connect-psa.use-case';
import { PsaMappingUseCase } from './psa-mapping.use-case';
import { SyncPsaUseCase, wantedLines } from './sync-psa.use-case';
import { type ActingParty } from '../../../shared/application/actor';

const ORG = '11111111-1111-4111-8111-111111111111';
const OTHER_ORG = '22222222-2222-4222-8222-222222222222';
const NOD = '3f2a6f43-7f6b-4a5c-9a3e-0c1f1b2d3e4f';
const COHO = '9b1c0d2e-3f40-4a51-8b62-7c83d94ea5f6';
const ALICE: ActingParty = { organizationId: ORG, userId: 'u1', name: 'Alice Admin' };
const CW_FORM = {
  siteUrl: 'na.myconnectwise.net',
  companyId: 'contoso',
  publicKey: 'pub',
  privateKey: 'priv-secret',
  clientId: '7c1f0b9e-3a52-4d8e-9b61-2f4a6c8d0e13',
};
const PERIOD = { start: '2026-12-01', end: '2026-12-31' };

function setUp() {
  const clock = new FixedClock(new Date('2026-12-07T10:00:00Z'));
  const repository = new InMemoryPsaSyncRepository();
  const gateway = new FakePsaGateway();
  const billing = new FakeBillingForPsa();
  const audit = new RecordingAudit();
  const events = new RecordingEvents();
  const transaction = new ImmediateTransaction();
  const connect = new ConnectPsaUseCase(repository, gateway, audit, transaction, clock);
  const mapping = new PsaMappingUseCase(repository, gateway, billing.asQueries(), audit, transaction, clock);
  const sync = new SyncPsaUseCase(repository, gateway, billing.asQueries(), events, transaction, clock);
  billing.customersList.push(
    { tenantId: NOD, companyName: 'Nod Publishers', domain: 'nodpublishers.example' },
    { tenantId: COHO, companyName: 'Coho Winery', domain: 'cohowinery.example' },
  );
  billing.productsList.push({
    key: 'microsoft 365 business standard',
    productName: 'Microsoft 365 Business Standard',
    productCode: 'M365-BUS-STD',
  });
  gateway.companiesList.push(
    { id: '250', name: 'Nod Publishers Ltd.', identifier: 'NodPub', website: '' },
    { id: '251', name: 'Coho Vineyard', identifier: 'cohowinery', website: '' },
  );
  gateway.agreementsList.push(
    { id: '10', companyId: '250', name: 'Microsoft 365' },
    { id: '11', companyId: '251', name: 'Microsoft 365' },
    { id: '12', companyId: '251', name: 'Managed support' },
  );
  gateway.productsList.push(
    { id: '7', code: 'M365-BUS-STD', name: 'Microsoft 365 Business Standard' },
    { id: '8', code: 'MSP-SUPPORT-USER', name: 'Managed support, per user' },
  );
  return { clock, repository, gateway, billing, audit, events, connect, mapping, sync };
}

async function connectedAndMapped(s: ReturnType<typeof setUp>) {
  await s.connect.connect(ALICE, 'connectwise', CW_FORM);
  await s.mapping.confirmTenant(ALICE, NOD, '10');
  await s.mapping.confirmTenant(ALICE, COHO, '11');
  await s.mapping.confirmProduct(ALICE, 'microsoft 365 business standard', '7');
  s.billing.lines.push(
    {
      tenantId: NOD,
      productKey: 'microsoft 365 business standard',
      productName: 'Microsoft 365 Business Standard',
      quantity: 22,
      unitPrice: '15.00',
    },
    {
      tenantId: COHO,
      productKey: 'microsoft 365 business standard',
      productName: 'Microsoft 365 Business Standard',
      quantity: 5,
      unitPrice: '15.00',
    },
  );
  const addition = (id: number, productId: string, quantity: number) => ({
    id,
    productId,
    quantity,
    unitPrice: '15',
    effectiveDate: '2026-01-01T00:00:00Z',
    cancelledDate: null,
    serialNumber: null,
    lastUpdated: '2026-01-01T00:00:00Z',
  });
  s.gateway.states.set('10', {
    kind: 'connectwise',
    additions: [addition(1, '7', 20), addition(2, '8', 20)],
    period: PERIOD,
    prorates: true,
  });
  s.gateway.states.set('11', { kind: 'connectwise', additions: [addition(3, '7', 5)], period: PERIOD, prorates: true });
}

describe('connecting a PSA', () => {
  it('tests the credentials before storing them, and audits the connection without any key', async () => {
    const s = setUp();
    const connection = await s.connect.connect(ALICE, 'connectwise', CW_FORM);
    expect(connection).toMatchObject({
      kind: 'connectwise',
      label: 'na.myconnectwise.net, company contoso',
      connectedByName: 'Alice Admin',
    });
    expect((await s.repository.connection(ORG))!.credentials).toMatchObject({ privateKey: 'priv-secret' });
    expect(await s.repository.connection(OTHER_ORG)).toBeNull();
    expect(s.audit.entries).toEqual([
      expect.objectContaining({
        action: 'psa-sync.connected',
        outcome: 'success',
        subject: 'ConnectWise PSA (na.myconnectwise.net, company contoso)',
      }),
    ]);
    expect(JSON.stringify(s.audit.entries)).not.toContain('priv-secret');
  });

  it('stores nothing when the PSA refuses, and says why (audited as a failure)', async () => {
    const s = setUp();
    s.gateway.testFailure = new PsaRefusedError(
      'ConnectWise did not accept the company ID, keys or client ID.',
      'Check the keys.',
      'privateKey',
    );
    await expect(s.connect.connect(ALICE, 'connectwise', CW_FORM)).rejects.toMatchObject({
      field: 'privateKey',
      message: expect.stringContaining('did not accept'),
    });
    expect(await s.repository.connection(ORG)).toBeNull();
    expect(s.audit.entries).toEqual([expect.objectContaining({ action: 'psa-sync.connection-refused', outcome: 'failure' })]);
  });

  it('refuses incomplete forms field by field before asking the PSA', async () => {
    const s = setUp();
    await expect(s.connect.connect(ALICE, 'connectwise', { ...CW_FORM, clientId: 'not-a-guid' })).rejects.toMatchObject({
      field: 'clientId',
    });
    await expect(s.connect.connect(ALICE, 'autotask', { userName: 'api@x', integrationCode: 'CODE' })).rejects.toMatchObject({
      field: 'secret',
    });
    await expect(s.connect.connect(ALICE, 'halo', {})).rejects.toBeInstanceOf(InvalidPsaInputError);
    expect(s.audit.entries).toEqual([]);
  });

  it('disconnecting removes credentials and mappings, audited', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    await s.connect.disconnect(ALICE);
    expect(await s.repository.connection(ORG)).toBeNull();
    expect(await s.repository.tenantMappings(ORG)).toEqual([]);
    expect(s.audit.entries.at(-1)).toMatchObject({ action: 'psa-sync.disconnected' });
  });
});

describe('mapping customers and products', () => {
  it('suggests by name (ignoring legal suffixes) and by domain, and the only agreement or the Microsoft one', async () => {
    const s = setUp();
    await s.connect.connect(ALICE, 'connectwise', CW_FORM);
    const overview = await s.mapping.overview(ORG);
    const nod = overview.tenants.find((t) => t.customer.tenantId === NOD)!;
    expect(nod.suggestion).toMatchObject({ agreement: { id: '10' }, companyName: 'Nod Publishers Ltd.' });
    const coho = overview.tenants.find((t) => t.customer.tenantId === COHO)!;
    expect(coho.suggestion).toMatchObject({ agreement: { id: '11' }, because: expect.stringContaining('Domain cohowinery.example') });
    expect(overview.products[0].suggestion).toMatchObject({ product: { id: '7' }, because: 'Same code M365-BUS-STD' });
  });

  it('confirms only what the PSA has and who the customer is, audited', async () => {
    const s = setUp();
    await expect(s.mapping.confirmTenant(ALICE, NOD, '10')).rejects.toBeInstanceOf(PsaNotConnectedError);
    await s.connect.connect(ALICE, 'connectwise', CW_FORM);
    await expect(s.mapping.confirmTenant(ALICE, NOD, '99')).rejects.toMatchObject({ field: 'agreementId' });
    await expect(s.mapping.confirmTenant({ ...ALICE, organizationId: OTHER_ORG }, NOD, '10')).rejects.toBeInstanceOf(PsaNotConnectedError);
    await expect(s.mapping.confirmProduct(ALICE, 'microsoft 365 business standard', '99')).rejects.toMatchObject({ field: 'psaProductId' });
    const mapping = await s.mapping.confirmTenant(ALICE, NOD, '10');
    expect(mapping).toMatchObject({ companyName: 'Nod Publishers Ltd.', agreementName: 'Microsoft 365', confirmedByName: 'Alice Admin' });
    expect(s.audit.entries.at(-1)).toMatchObject({ action: 'psa-sync.tenant-mapped', subject: 'Nod Publishers' });
  });
});

describe('confirming every suggestion at once', () => {
  it('confirms the suggested rows only, each audited, and leaves the rest for a person', async () => {
    const s = setUp();
    s.billing.customersList.push({ tenantId: '5c6d7e8f-0000-4000-8000-000000000009', companyName: 'Nobody Ltd', domain: 'nobody.example' });
    await s.connect.connect(ALICE, 'connectwise', CW_FORM);
    expect(await s.mapping.confirmSuggested(ALICE)).toEqual({ tenants: 2, products: 1 });
    expect((await s.repository.tenantMappings(ORG)).map((m) => m.agreementId).sort()).toEqual(['10', '11']);
    expect(s.audit.entries.filter((e) => e.action === 'psa-sync.tenant-mapped')).toHaveLength(2);
    expect(await s.mapping.confirmSuggested(ALICE)).toEqual({ tenants: 0, products: 0 });
  });
});

describe('syncing', () => {
  const request = (runId: string, dryRun = false) => ({
    organizationId: ORG,
    runId,
    trigger: 'sync-now' as const,
    triggeredBy: 'Alice Admin',
    dryRun,
  });

  it('a dry run plans per tenant and line and writes nothing', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    const outcome = (await s.sync.execute(request('aaaaaaaa-0000-4000-8000-000000000001', true)))!;
    expect(outcome.run).toMatchObject({ status: 'dry-run', tenants: 2, changedLines: 1 });
    const nod = outcome.results.find((r) => r.tenantId === NOD)!;
    expect(nod).toMatchObject({ status: 'planned', lines: [expect.objectContaining({ before: 20, after: 22, outcome: 'increase' })] });
    expect(nod.lines[0].writes).toEqual(['Add prorated addition: +2 from 2026-12-07 to 2026-12-31', 'Change addition 1: quantity 22']);
    expect(s.gateway.writes).toEqual([]);
    expect(s.events.events).toEqual([]);
  });

  it('writes only the differences (never another product’s line), and publishes psa-sync.completed', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    const outcome = (await s.sync.execute(request('aaaaaaaa-0000-4000-8000-000000000002')))!;
    expect(outcome.run).toMatchObject({ status: 'completed', changedLines: 1, failedTenants: 0 });
    expect(s.gateway.writes.map((w) => [w.agreementId, w.write.write.kind])).toEqual([
      ['10', 'add-prorate-delta'],
      ['10', 'change-addition'],
    ]);
    expect(outcome.results.find((r) => r.tenantId === COHO)).toMatchObject({ status: 'unchanged' });
    expect(s.events.events.map((e) => e.name)).toEqual([PSA_SYNC_COMPLETED]);
    // The next run finds it right.
    await s.sync.execute(request('aaaaaaaa-0000-4000-8000-000000000003'));
    expect(s.gateway.writes).toHaveLength(2);
  });

  it('a PSA refusal fails that tenant with the PSA’s words and a fix; the others go on', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    s.billing.lines.find((l) => l.tenantId === COHO)!.quantity = 6;
    s.gateway.failures.push({
      agreementId: '10',
      error: new PsaRefusedError('ConnectWise refused: agreementAddition object is invalid.', 'Choose an active catalog product.'),
    });
    const outcome = (await s.sync.execute(request('aaaaaaaa-0000-4000-8000-000000000004')))!;
    expect(outcome.run).toMatchObject({ status: 'failed', failedTenants: 1, changedLines: 1 });
    expect(outcome.results.find((r) => r.tenantId === NOD)).toMatchObject({
      status: 'failed',
      message: 'ConnectWise refused: agreementAddition object is invalid.',
      fix: 'Choose an active catalog product.',
    });
    expect(outcome.results.find((r) => r.tenantId === COHO)).toMatchObject({ status: 'synced' });
    expect(s.events.events).toEqual([
      expect.objectContaining({
        name: PSA_SYNC_FAILED,
        payload: expect.objectContaining({ failedTenants: 1, failures: [expect.objectContaining({ companyName: 'Nod Publishers' })] }),
      }),
    ]);
  });

  it('a retried run (same id) after an outage mid-tenant writes nothing twice and keeps the tenants it finished', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    const runId = 'aaaaaaaa-0000-4000-8000-000000000005';
    // The delta lands, then ConnectWise fails before the quantity change: the job fails and is retried.
    const apply = s.gateway.apply.bind(s.gateway);
    let calls = 0;
    s.gateway.apply = async (connection: PsaConnection, agreementId, write) => {
      if (++calls === 2) throw new RetryablePsaError('ConnectWise is not answering normally (500).', 'Try again.');
      return apply(connection, agreementId, write);
    };
    await expect(s.sync.execute(request(runId))).rejects.toBeInstanceOf(RetryablePsaError);
    const outcome = (await s.sync.execute(request(runId)))!;
    expect(outcome.run).toMatchObject({ status: 'completed' });
    expect(s.gateway.writes.map((w) => w.write.write.kind)).toEqual(['add-prorate-delta', 'change-addition']);
    // A finished run answers what it did, without calling the PSA again.
    expect((await s.sync.execute(request(runId)))!.run.id).toBe(runId);
    expect(s.gateway.writes).toHaveLength(2);
  });

  it('a retry that starts while the stalled execution still runs takes the run over: the stalled one writes nothing', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    const runId = 'aaaaaaaa-0000-4000-8000-000000000008';
    // The first execution reads Nod's agreement, then stalls past its heartbeat; pg-boss starts the retry, which
    // finishes the whole run before the first one wakes up with what it read.
    const read = s.gateway.agreementState.bind(s.gateway);
    let retry: Promise<unknown> | undefined;
    s.gateway.agreementState = async (connection: PsaConnection, agreementId: string) => {
      const state = await read(connection, agreementId);
      if (!retry) await (retry = s.sync.execute(request(runId)));
      return state;
    };
    expect(await s.sync.execute(request(runId))).toBeNull();
    expect(await retry).toMatchObject({ run: { status: 'completed', changedLines: 1 } });
    expect(s.gateway.writes.map((w) => [w.agreementId, w.write.write.kind])).toEqual([
      ['10', 'add-prorate-delta'],
      ['10', 'change-addition'],
    ]);
    expect(s.events.events.map((e) => e.name)).toEqual([PSA_SYNC_COMPLETED]);
  });

  it('Autotask: one dated adjustment per changed line', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    s.gateway.states.set('10', {
      kind: 'autotask',
      services: [{ contractServiceId: 55, serviceId: '7', units: 20, unitPrice: '15' }],
      period: PERIOD,
      prorates: true,
    });
    await s.sync.execute(request('aaaaaaaa-0000-4000-8000-000000000006'));
    expect(s.gateway.writes.map((w) => w.write.write)).toEqual([
      expect.objectContaining({ kind: 'adjust-units', unitChange: 2, effectiveDate: '2026-12-07', contractServiceId: 55 }),
    ]);
  });

  it('a run left running when its retries ran out shows as stopped once the next one starts', async () => {
    const s = setUp();
    await connectedAndMapped(s);
    const runId = 'aaaaaaaa-0000-4000-8000-000000000009';
    s.gateway.failures.push({
      agreementId: '10',
      error: new RetryablePsaError('ConnectWise is not answering normally (503).', 'Try again.'),
    });
    await expect(s.sync.execute(request(runId))).rejects.toBeInstanceOf(RetryablePsaError);
    expect((await s.repository.run(ORG, runId))!.status).toBe('running');
    s.clock.current = new Date('2026-12-08T06:00:00Z');
    await s.sync.execute(request('aaaaaaaa-0000-4000-8000-000000000010'));
    expect(await s.repository.run(ORG, runId)).toMatchObject({ status: 'stopped', finishedAt: new Date('2026-12-08T06:00:00Z') });
  });

  it('the daily run is quiet without a connection; Sync now is not', async () => {
    const s = setUp();
    expect(await s.sync.execute({ ...request('aaaaaaaa-0000-4000-8000-000000000007'), trigger: 'reconciliation' })).toBeNull();
    await expect(s.sync.execute(request('aaaaaaaa-0000-4000-8000-000000000008'))).rejects.toBeInstanceOf(PsaNotConnectedError);
  });

  it('wants 0 of a mapped product the customer no longer has, and sums products mapped to one PSA product', () => {
    const products = [
      { productKey: 'a', psaProductId: '7', psaProductName: 'X', confirmedAt: new Date(), confirmedByName: 'A' },
      { productKey: 'b', psaProductId: '8', psaProductName: 'Y', confirmedAt: new Date(), confirmedByName: 'A' },
    ];
    expect(wantedLines(NOD, [{ tenantId: NOD, productKey: 'a', productName: 'A', quantity: 3, unitPrice: '1.00' }], products)).toEqual([
      { productId: '7', quantity: 3, unitPrice: '1.00', description: 'A' },
      { productId: '8', quantity: 0, unitPrice: '0', description: 'Y' },
    ]);
  });
});
