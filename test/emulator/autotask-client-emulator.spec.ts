import {
  type AutotaskApiError,
  AutotaskAuthenticationError,
  AutotaskClient,
  AutotaskPermissionError,
  AutotaskThresholdLimiter,
  AutotaskThrottledError,
  type AutotaskAttemptEvent,
  type AutotaskCredentials,
  type ThresholdBackoffEvent,
} from '../../libs/autotask/src';
import { generateScenario, SKU_CATALOG } from '../../libs/microsoft-emulator/src';
import {
  buildAutotaskScenario,
  AUTOTASK_DEMO_IDS,
  AUTOTASK_DEMO_MISSING_SERVICE,
  AUTOTASK_READ_ONLY_CREDENTIALS,
  autotaskDemoScenario,
  startAutotaskEmulator,
  type RunningAutotaskEmulator,
} from '../../libs/autotask-emulator/src';
import { DEMO, fakeSleep } from './support/autotask-kit';

// The real wire client against the local Autotask: what the billing sync will do, end to end on the wire. Time is
// fake: the client's waits move the emulator's clock, never a timer.
const START = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('AutotaskClient against the local Autotask', () => {
  let emulator: RunningAutotaskEmulator;
  let now = START;
  let clock: ReturnType<typeof fakeSleep>;
  let attempts: AutotaskAttemptEvent[];

  const clientFor = (credentials: AutotaskCredentials = DEMO, limiter?: AutotaskThresholdLimiter) =>
    new AutotaskClient({
      baseUrl: emulator.zoneUrl,
      credentials,
      limiter,
      sleep: clock.sleep,
      random: () => 0.5,
      onAttempt: (event) => attempts.push(event),
    });

  beforeAll(async () => {
    emulator = await startAutotaskEmulator({ now: () => now, settings: { usageLatency: [] } });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    now = START;
    emulator.reset(autotaskDemoScenario({ now: START }));
    clock = fakeSleep((ms) => {
      now += ms;
    });
    attempts = [];
  });

  it('discovers the zone, finds the customer\u2019s active contract and its services, applies a quantity change and reads it back', async () => {
    const { client, zone } = await AutotaskClient.connect({ credentials: DEMO, discoveryUrl: emulator.discoveryUrl, sleep: clock.sleep });
    expect(zone.url).toBe(emulator.zoneUrl);

    const [coho] = await client.findCompanies({ name: 'Coho Winery' }).all();
    const contracts = await client.findContracts({ companyIds: [coho.id] }).all();
    expect(contracts).toHaveLength(1);
    const [contract] = contracts;
    const [contractService] = await client.listContractServices([contract.id]).all();
    const [service] = await client.findServices({ ids: [contractService.serviceID] }).all();
    expect(service.name).toBe('Microsoft 365 Business Premium');
    const [before] = await client.listContractServiceUnits([contract.id], { on: '2026-12-07' }).all();
    expect(before.units).toBe(12);

    // Microsoft says 15 seats from today: a dated delta of +3.
    const id = await client.createContractServiceAdjustment({
      contractID: contract.id,
      serviceID: service.id,
      contractServiceID: contractService.id,
      effectiveDate: '2026-12-07',
      unitChange: 15 - before.units,
    });

    const [after] = await client.listContractServiceUnits([contract.id], { on: '2026-12-07' }).all();
    expect(after.units).toBe(15);
    const adjustments = await client.listContractServiceAdjustments([contract.id]).all();
    expect(adjustments).toEqual([expect.objectContaining({ id, unitChange: 3, effectiveDate: '2026-12-07T00:00:00Z' })]);
    expect(emulator.journal()).toEqual([
      expect.objectContaining({ method: 'POST', entity: 'ContractServiceAdjustments', status: 200, itemId: id }),
    ]);
    // 3 seats × 26.40 × 25/31 days.
    const lines = emulator.invoiceRun({ day: '2026-12-07', companyId: coho.id }).lines;
    expect(lines.map((line) => [line.kind, line.units, line.amount])).toEqual([
      ['service', 12, '316.80'],
      ['adjustment', 3, '63.87'],
    ]);
  });

  it('pages through hundreds of contract service units across many contracts with ids sliced into queries', async () => {
    const client = clientFor();
    const contracts = await client.findContracts().all();

    const units = await client.listContractServiceUnits(contracts.map((contract) => contract.id)).all();

    // 43 contract services × 36 monthly periods each.
    expect(units).toHaveLength(43 * 36);
    expect(new Set(units.map((row) => row.id)).size).toBe(units.length);
    expect(attempts.filter((event) => event.path.includes('/ContractServiceUnits/query')).length).toBeGreaterThan(1);
  });

  it('finds no service for the SKU missing from the catalogue', async () => {
    expect(await clientFor().findServices({ nameContains: AUTOTASK_DEMO_MISSING_SERVICE }).all()).toEqual([]);
  });

  it('surfaces the refusals as typed errors with Autotask\u2019s message and the fix', async () => {
    const readOnly = await clientFor(AUTOTASK_READ_ONLY_CREDENTIALS)
      .createContractServiceAdjustment({
        contractID: AUTOTASK_DEMO_IDS.firstContract,
        serviceID: AUTOTASK_DEMO_IDS.firstService + 3,
        effectiveDate: '2026-12-07',
        unitChange: 1,
      })
      .catch((caught: unknown) => caught);
    expect(readOnly).toBeInstanceOf(AutotaskPermissionError);
    expect((readOnly as AutotaskApiError).autotaskMessage).toMatch(/security level/);

    const wrongSecret = await clientFor({ ...DEMO, secret: 'wrong' })
      .findCompanies()
      .all()
      .catch((caught: unknown) => caught);
    expect(wrongSecret).toBeInstanceOf(AutotaskAuthenticationError);
    expect((wrongSecret as AutotaskApiError).fix).toMatch(/generate a new secret/);

    const unknownUser = await AutotaskClient.discoverZone('nobody@example.com', {
      discoveryUrl: emulator.discoveryUrl,
      sleep: clock.sleep,
    }).catch((caught: unknown) => caught);
    expect(unknownUser).toMatchObject({ kind: 'server', status: 500 });

    const refused = await clientFor()
      .createContractServiceAdjustment({
        contractID: AUTOTASK_DEMO_IDS.firstContract,
        serviceID: AUTOTASK_DEMO_IDS.firstService + 3,
        effectiveDate: '2026-12-07',
        unitChange: -500,
      })
      .catch((caught: unknown) => caught as AutotaskApiError);
    expect(refused).toMatchObject({ kind: 'validation', status: 500 });
    expect((refused as AutotaskApiError).autotaskMessage).toMatch(/units cannot be negative/);
  });

  it('waits out an injected 429 with Retry-After and a 500 on a read, and never repeats a write after a 500', async () => {
    emulator.addFault({ method: 'POST', path: '/V1.0/Companies/query', status: 429, retryAfterSeconds: 30, count: 1 });
    emulator.addFault({ method: 'POST', path: '/V1.0/Contracts/query', status: 500, message: 'transient', count: 1 });
    const client = clientFor();

    expect(await client.findCompanies({ name: 'Coho Winery' }).all()).toHaveLength(1);
    // An injected 500 carries Autotask's errors body: a read asks again only without a message, so this one fails.
    const failedRead = await client
      .findContracts()
      .all()
      .catch((caught: unknown) => caught);
    expect(failedRead).toMatchObject({ kind: 'server', autotaskMessages: ['transient'] });
    expect(clock.waits).toContain(30_000);

    emulator.addFault({ method: 'POST', path: '/V1.0/ContractServiceAdjustments', status: 503, count: 1 });
    const write = await client
      .createContractServiceAdjustment({
        contractID: AUTOTASK_DEMO_IDS.firstContract,
        serviceID: AUTOTASK_DEMO_IDS.firstService + 3,
        effectiveDate: '2026-12-07',
        unitChange: 1,
      })
      .catch((caught: unknown) => caught);
    expect(write).toMatchObject({ kind: 'server', status: 503 });
    expect(attempts.filter((event) => event.path.endsWith('/ContractServiceAdjustments'))).toHaveLength(1);
    expect(emulator.journal()).toEqual([]);
  });

  it('reads again after an answer cut off halfway, and after a dropped connection', async () => {
    emulator.addFault({ method: 'POST', path: '/V1.0/Companies/query', kind: 'malformed', count: 1 });
    emulator.addFault({ method: 'POST', path: '/V1.0/Contracts/query', kind: 'reset', count: 1 });
    const client = clientFor();

    expect(await client.findCompanies({ name: 'Coho Winery' }).all()).toHaveLength(1);
    expect(await client.findContracts().all()).toHaveLength(24);

    expect(attempts.filter((event) => event.path.endsWith('/Companies/query')).map((event) => event.kind ?? event.outcome)).toEqual([
      'malformed_response',
      'success',
    ]);
    expect(attempts.filter((event) => event.path.endsWith('/Contracts/query')).map((event) => event.kind ?? event.outcome)).toEqual([
      'network',
      'success',
    ]);
  });

  it('serves a database built from a generated Microsoft world of 2,000 customers, under the same names', async () => {
    const world = generateScenario({ customers: 2000, seed: 7, now: START });
    const customers = (world.customers ?? []).map((customer) => ({
      companyName: customer.companyName,
      seats: Object.fromEntries(
        customer.subscribedSkus.map((sku) => [
          Object.values(SKU_CATALOG).find((entry) => entry.skuId === sku.skuId)?.productName ?? sku.skuId,
          sku.prepaidUnits.enabled,
        ]),
      ),
    }));
    emulator.reset(buildAutotaskScenario({ name: 'generated', customers, now: START }));
    const client = clientFor();

    const companies = await client.findCompanies().all();
    const contracts = await client.findContracts().all();
    const units = await client
      .listContractServiceUnits(
        contracts.slice(0, 300).map((contract) => contract.id),
        { on: '2026-12-07' },
      )
      .all();

    expect(companies).toHaveLength(2001);
    expect(new Set(companies.map((company) => company.companyName))).toEqual(
      new Set(['Contoso Partners', ...customers.map((customer) => customer.companyName)]),
    );
    expect(contracts).toHaveLength(2000);
    expect(units.length).toBeGreaterThanOrEqual(300);
    expect(attempts.filter((event) => event.path.endsWith('/Companies/query/next'))).toHaveLength(4);
  });

  describe('the hourly threshold', () => {
    it('holds requests back near the threshold until the rolling hour frees room, and never meets a 429', async () => {
      emulator.settings({ threshold: 100 });
      // Other integrations of the database made 85 requests just now.
      emulator.addUsage(85);
      const backoffs: ThresholdBackoffEvent[] = [];
      const limiter = new AutotaskThresholdLimiter({
        highWaterFraction: 0.8,
        backoffMs: 5 * 60_000,
        maxWaitMs: 2 * 60 * 60_000,
        now: () => now,
        sleep: clock.sleep,
        onBackoff: (event) => backoffs.push(event),
      });
      const client = clientFor(DEMO, limiter);

      const companies = await client.findCompanies({ name: 'Coho Winery' }).all();

      expect(companies).toHaveLength(1);
      expect(backoffs[0]).toEqual({ used: 86, threshold: 100, highWater: 80, waitMs: 300_000 });
      // Twelve waits of five minutes: the others' 85 requests left the window after an hour.
      expect(clock.waits).toEqual(Array(12).fill(300_000));
      expect(attempts.some((event) => event.status === 429)).toBe(false);
      expect(emulator.usage()).toBeLessThan(80);
    });

    it('gives up with a typed error, without sending the request, when the wait would be too long', async () => {
      emulator.settings({ threshold: 100 });
      emulator.addUsage(95);
      const limiter = new AutotaskThresholdLimiter({ backoffMs: 60_000, maxWaitMs: 5 * 60_000, now: () => now, sleep: clock.sleep });

      const error = await clientFor(DEMO, limiter)
        .findCompanies()
        .all()
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(AutotaskThrottledError);
      expect((error as AutotaskApiError).message).toMatch(/of the database's 100 requests per 60 minutes are used/);
      expect(clock.waits).toEqual(Array(5).fill(60_000));
      expect(attempts.filter((event) => event.path.includes('/Companies/'))).toEqual([]);
    });

    it('re-reads the threshold every N requests, so other integrations\u2019 usage is seen', async () => {
      emulator.settings({ threshold: 1000 });
      const limiter = new AutotaskThresholdLimiter({ refreshEveryRequests: 3, now: () => now, sleep: clock.sleep });
      const client = clientFor(DEMO, limiter);

      for (let i = 0; i < 7; i++) await client.get('Companies', 0);

      expect(attempts.filter((event) => event.path.endsWith('/ThresholdInformation'))).toHaveLength(3);
      expect(limiter.snapshot()).toMatchObject({ threshold: 1000, sentSinceRead: 1 });
    });

    it('after Autotask\u2019s own 429, re-reads the threshold and stops with a typed error instead of asking again', async () => {
      emulator.settings({ threshold: 3 });
      const limiter = new AutotaskThresholdLimiter({
        highWaterFraction: 1,
        refreshEveryRequests: 1000,
        now: () => now,
        sleep: clock.sleep,
        maxWaitMs: 0,
      });
      const client = clientFor(DEMO, limiter);
      await client.get('Companies', 0);
      // Other integrations used the rest meanwhile; our estimate does not know.
      emulator.addUsage(5);

      const error = await client.get('Companies', 0).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(AutotaskThrottledError);
      const companyCalls = attempts.filter((event) => event.path.includes('/Companies/'));
      expect(companyCalls.map((event) => event.status)).toEqual([200, 429]);
      expect(attempts.filter((event) => event.path.endsWith('/ThresholdInformation'))).toHaveLength(2);
    });
  });
});
