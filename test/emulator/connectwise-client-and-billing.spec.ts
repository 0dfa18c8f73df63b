import {
  type ConnectWiseApiError,
  ConnectWiseAuthenticationError,
  ConnectWiseForbiddenError,
  ConnectWiseNotFoundError,
  ConnectWisePsaClient,
  ConnectWiseValidationError,
  cw,
  type ConnectWiseAddition,
  type ConnectWiseAgreement,
} from '../../libs/connectwise-psa/src';
import { DEMO_CONNECTWISE_LIMITED_MEMBER, type RunningConnectWiseEmulator } from '../../libs/connectwise-psa-emulator/src';
import { cwCall, useConnectWiseEmulator } from './support/connectwise-test-kit';

// The real ConnectWise client against the local ConnectWise (contract), and the simulated invoice run that shows
// what a quantity change really invoices. The emulator's clock stands on 16 December 2026.
const TODAY = Date.parse('2026-12-16T10:00:00Z');

function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function connect(
  emulator: RunningConnectWiseEmulator,
  overrides: Partial<{ publicKey: string; privateKey: string; companyId: string }> = {},
  sleep = recordingSleep(),
) {
  return ConnectWisePsaClient.connect({
    siteUrl: emulator.url,
    credentials: { ...emulator.credentials!, ...overrides },
    sleep: sleep.sleep,
    random: () => 0.5,
  });
}

async function activeAgreement(client: ConnectWisePsaClient, companyName: string): Promise<ConnectWiseAgreement> {
  const [company] = await client.listCompanies({ conditions: cw.eq('name', companyName) }).all();
  const [agreement] = await client.listAgreementsOfCompany(company.id).all();
  return agreement;
}

// A quantity change with the client's primitives, in the order Sync 365's write plan sends it (psa-write-plan.ts):
// the prorate delta first (found again by its serialNumber marker on a re-run), then the main addition's quantity.
// A reduction gets a (negative) delta only with allowNegative.
async function changeQuantity(
  client: ConnectWisePsaClient,
  change: {
    agreementId: number;
    additionId: number;
    quantity: number;
    prorate?: { effectiveDate: string; periodEnd: string; allowNegative?: boolean };
    marker?: string;
  },
): Promise<{ main: ConnectWiseAddition; delta?: ConnectWiseAddition; deltaReused: boolean; changed: boolean }> {
  const before = await client.getAddition(change.agreementId, change.additionId);
  const difference = change.quantity - (before.quantity ?? 0);
  if (difference === 0) return { main: before, changed: false, deltaReused: false };
  let delta: ConnectWiseAddition | undefined;
  let deltaReused = false;
  if (change.prorate && (difference > 0 || change.prorate.allowNegative)) {
    delta = change.marker ? await client.findAdditionByMarker(change.agreementId, change.marker) : undefined;
    deltaReused = delta !== undefined;
    delta ??= await client.createAddition(change.agreementId, {
      product: { id: before.product.id },
      billCustomer: before.billCustomer,
      quantity: difference,
      unitPrice: before.unitPrice,
      effectiveDate: `${change.prorate.effectiveDate}T00:00:00Z`,
      cancelledDate: `${change.prorate.periodEnd}T00:00:00Z`,
      serialNumber: change.marker,
    });
  }
  const main = await client.setAdditionQuantity(change.agreementId, change.additionId, change.quantity);
  return { main, delta, deltaReused, changed: true };
}

describe('ConnectWise client against the local ConnectWise', () => {
  const env = useConnectWiseEmulator({ now: () => TODAY });

  it('connects from the site and reads every company the same way navigable and forward-only', async () => {
    const client = await connect(env.emulator);

    const navigable = await client.listCompanies({ pageSize: 7 }).all();
    const forwardOnly = await client.listCompanies({ pageSize: 7, forwardOnly: true }).all();

    expect(client.apiBaseUrl).toBe(env.emulator.apiBaseUrl);
    expect(navigable).toHaveLength(25);
    expect(forwardOnly.map((company) => company.id)).toEqual(navigable.map((company) => company.id).sort((a, b) => a - b));
    expect((await cwCall(env.emulator, '/__emulator/requests')).body['GET /company/companies']).toBe(8); // 4 pages each
  });

  it('finds companies whose names carry quotes and ampersands, and their agreements and additions', async () => {
    const client = await connect(env.emulator);

    const [margies] = await client.listCompanies({ conditions: cw.eq('name', "Margie's Travel") }).all();
    const [citypower] = await client.listCompanies({ conditions: cw.eq('name', 'City Power & Light') }).all();
    const agreement = await activeAgreement(client, 'City Power & Light');
    const additions = await client.listAdditions(agreement.id, { conditions: cw.eq('cancelledDate', null) }).all();

    expect(margies.identifier).toBe('MargiesTravel');
    expect(citypower.identifier).toBe('CityPowerLight');
    expect(additions.map((addition) => [addition.product.identifier, addition.quantity])).toEqual([
      ['M365-E3', 5],
      ['EXO-P1', 10],
    ]);
    expect(await client.countAdditions(agreement.id)).toBe(2);
  });

  it('types the refusals: 403 for a role without agreements, 404-on-bad-auth as authentication, unknown company id', async () => {
    const limited = await connect(env.emulator, DEMO_CONNECTWISE_LIMITED_MEMBER);
    const forbidden = await limited
      .listAgreements()
      .all()
      .catch((caught: unknown) => caught);
    env.emulator.updateSettings({ badCredentialsStatus: 404 });
    const wrongKey = await connect(env.emulator, { privateKey: 'wrong' });
    const cloudRefusal = await wrongKey.checkAccess().catch((caught: unknown) => caught);
    const unknownCompany = await connect(env.emulator, { companyId: 'fabrikam' }).catch((caught: unknown) => caught);

    expect(forbidden).toBeInstanceOf(ConnectWiseForbiddenError);
    expect((forbidden as ConnectWiseApiError).psaMessage).toMatch(/Finance → Agreements/);
    expect(cloudRefusal).toBeInstanceOf(ConnectWiseAuthenticationError);
    expect((cloudRefusal as ConnectWiseApiError).status).toBe(404);
    expect(unknownCompany).toBeInstanceOf(ConnectWiseAuthenticationError);
    expect((unknownCompany as ConnectWiseApiError).fix).toMatch(/company ID/);
  });

  it('says an agreement is gone (not found, not bad credentials) when its additions are asked for', async () => {
    const client = await connect(env.emulator);

    const error = await client
      .listAdditions(99_999)
      .all()
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConnectWiseNotFoundError);
    expect((error as ConnectWiseApiError).psaMessage).toBe('Agreement with id 99999 was not found.');
  });

  it('surfaces the emulator’s InvalidObject refusal with ConnectWise’s words', async () => {
    const client = await connect(env.emulator);
    const agreement = await activeAgreement(client, 'Coho Winery');

    const error = await client
      .createAddition(agreement.id, { product: { identifier: 'O365-E3-LEGACY' }, billCustomer: 'Billable' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConnectWiseValidationError);
    expect((error as ConnectWiseApiError).psaMessage).toBe('agreementAddition object is invalid: Product O365-E3-LEGACY is inactive.');
    expect((error as ConnectWiseApiError).errors[0]).toMatchObject({ resource: 'agreementAddition', field: 'product' });
  });

  it('rides out a 429 storm by waiting Retry-After, within its bound', async () => {
    const sleep = recordingSleep();
    const client = await connect(env.emulator, {}, sleep);
    env.emulator.addFault({ path: '/finance/agreements', status: 429, retryAfterSeconds: 2, count: 3 });

    const agreements = await client.listAgreements().all();

    expect(agreements.length).toBeGreaterThan(20);
    expect(sleep.waits).toEqual([2000, 2000, 2000]);
  });

  it('times out on an injected latency and says ConnectWise could not be reached', async () => {
    env.emulator.addFault({ path: '/company/companies/*', kind: 'latency', latencyMs: 2000, count: 1 });
    const client = new ConnectWisePsaClient({
      apiBaseUrl: env.emulator.apiBaseUrl,
      credentials: env.emulator.credentials!,
      timeoutMs: 100,
      retry: { maxAttempts: 1 },
    });

    const error = (await client.getCompany(250).catch((caught: unknown) => caught)) as ConnectWiseApiError;

    expect(error.code).toBe('timeout');
    expect(error.kind).toBe('network');
  });

  it('changes a quantity once although the PATCH fails mid-way: the re-run finds its delta by marker', async () => {
    const client = await connect(env.emulator);
    const agreement = await activeAgreement(client, 'Coho Winery');
    const [main] = await client
      .listAdditions(agreement.id, { conditions: cw.and(cw.eq('product/identifier', 'M365-BUS-PREM'), cw.eq('cancelledDate', null)) })
      .all();
    const change = {
      agreementId: agreement.id,
      additionId: main.id,
      quantity: 15,
      prorate: { effectiveDate: '2026-12-16', periodEnd: '2026-12-31' },
      marker: 'S365-coho-1',
    };
    env.emulator.addFault({ method: 'PATCH', path: '/finance/agreements/*/additions/*', status: 500, count: 1 });

    const failed = (await changeQuantity(client, change).catch((caught: unknown) => caught)) as ConnectWiseApiError;
    const rerun = await changeQuantity(client, change);
    const third = await changeQuantity(client, change);

    expect(failed.kind).toBe('server');
    expect(rerun).toMatchObject({
      changed: true,
      deltaReused: true,
      main: { quantity: 15 },
      delta: { quantity: 3, serialNumber: 'S365-coho-1' },
    });
    expect(third.changed).toBe(false);
    const applied = env.emulator.journal({ appliedOnly: true });
    expect(applied.map((entry) => [entry.method, entry.additionId === main.id ? 'main' : 'delta'])).toEqual([
      ['POST', 'delta'],
      ['PATCH', 'main'],
    ]);
    expect(env.emulator.journal().filter((entry) => entry.outcome === 'faulted')).toHaveLength(1);
  });
});

describe('simulated invoice run', () => {
  const env = useConnectWiseEmulator({ now: () => TODAY });

  it('bills the raised quantity in advance and the delta addition as a prorated line for the rest of December', async () => {
    const client = await connect(env.emulator);
    const agreement = await activeAgreement(client, 'Coho Winery');
    const [main] = await client.listAdditions(agreement.id, { conditions: cw.eq('product/identifier', 'M365-BUS-PREM') }).all();

    const result = await changeQuantity(client, {
      agreementId: agreement.id,
      additionId: main.id,
      quantity: 15,
      prorate: { effectiveDate: '2026-12-16', periodEnd: '2026-12-31' },
    });
    const [invoice] = env.emulator.runInvoices({ invoiceDate: '2027-01-01', agreementIds: [agreement.id] }).invoices;

    // 26.40 × 16/31 days = 13.6258… → 13.63 a seat, as the delta addition shows it.
    expect(result.delta).toMatchObject({ quantity: 3, proratePrice: 13.63, extendedProratePrice: 40.89 });
    expect(invoice.lines.map((line) => [line.kind, line.quantity, line.amount, line.from, line.to])).toEqual([
      ['recurring', 15, 396, '2027-01-01', '2027-01-31'],
      ['prorate', 3, 40.89, '2026-12-16', '2026-12-31'],
    ]);
    expect(invoice.total).toBe(436.89);
  });

  it('without "Prorate Agreement", a new addition bills from the next invoice and a same-period delta is a one-time charge', async () => {
    const client = await connect(env.emulator);
    const agreement = await activeAgreement(client, 'Litware, Inc.');
    const [main] = await client.listAdditions(agreement.id).all();

    const added = await client.createAddition(agreement.id, {
      product: { identifier: 'PBI-PRO' },
      billCustomer: 'Billable',
      quantity: 4,
      effectiveDate: '2026-12-16',
    });
    await changeQuantity(client, {
      agreementId: agreement.id,
      additionId: main.id,
      quantity: 37,
      prorate: { effectiveDate: '2026-12-16', periodEnd: '2026-12-31' },
    });
    const run = await cwCall(env.emulator, '/__emulator/invoice-run', {
      method: 'POST',
      json: { invoiceDate: '2027-01-01', agreementIds: [agreement.id] },
    });

    expect(agreement.prorateFlag).toBe(false);
    expect(added.proratePrice).toBe(0);
    const lines = run.body.invoices[0].lines.map(
      (line: { kind: string; product: { identifier: string }; quantity: number; amount: number }) => [
        line.kind,
        line.product.identifier,
        line.quantity,
        line.amount,
      ],
    );
    expect(lines).toEqual([
      ['recurring', 'M365-BUS-PREM', 37, 976.8],
      ['recurring', 'PBI-PRO', 4, 67.2],
      ['one-time', 'M365-BUS-PREM', 2, 52.8],
    ]);
  });

  it('credits a reduction only when negative prorate is allowed', async () => {
    const client = await connect(env.emulator);
    const woodgrove = await activeAgreement(client, 'Woodgrove Bank');
    const lamna = await activeAgreement(client, 'Lamna Healthcare Company');
    const [woodgroveE5] = await client.listAdditions(woodgrove.id, { conditions: cw.eq('product/identifier', 'M365-E5') }).all();
    const [lamnaE5] = await client.listAdditions(lamna.id, { conditions: cw.eq('product/identifier', 'M365-E5') }).all();
    const prorate = { effectiveDate: '2026-12-16', periodEnd: '2026-12-31' };

    const credited = await changeQuantity(client, {
      agreementId: woodgrove.id,
      additionId: woodgroveE5.id,
      quantity: 140,
      prorate: { ...prorate, allowNegative: true },
    });
    const notCredited = await changeQuantity(client, { agreementId: lamna.id, additionId: lamnaE5.id, quantity: 40, prorate });
    const run = env.emulator.runInvoices({ invoiceDate: '2027-01-01', agreementIds: [woodgrove.id, lamna.id] });

    expect(credited.delta?.quantity).toBe(-10);
    expect(notCredited.delta).toBeUndefined();
    const prorateLines = run.invoices.flatMap((invoice) =>
      invoice.lines.filter((line) => line.kind === 'prorate').map((line) => [invoice.company.name, line.quantity, line.amount]),
    );
    // 68.40 × 16/31 = 35.30 a seat.
    expect(prorateLines).toEqual([['Woodgrove Bank', -10, -353]]);
  });

  it('lists the run’s invoices at GET /finance/invoices, without lines, like ConnectWise', async () => {
    env.emulator.runInvoices({ invoiceDate: '2027-01-01' });
    const client = await connect(env.emulator);

    const invoices = await client.listInvoices({ conditions: cw.eq('company/name', 'Coho Winery') }).all();

    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ type: 'Agreement', date: '2027-01-01T00:00:00Z', total: 316.8 });
    expect(invoices[0]).not.toHaveProperty('lines');
  });
});
