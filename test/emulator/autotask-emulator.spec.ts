import { DEMO_CUSTOMERS } from '../../libs/microsoft-emulator/src';
import {
  AUTOTASK_DEMO_COMPANY_WITHOUT_CONTRACT,
  AUTOTASK_DEMO_CUSTOMERS,
  AUTOTASK_DEMO_IDS,
  AUTOTASK_DEMO_MISSING_SERVICE,
  AUTOTASK_READ_ONLY_CREDENTIALS,
  autotaskDemoScenario,
  startAutotaskEmulator,
  type AutotaskScenario,
  type RunningAutotaskEmulator,
} from '../../libs/autotask-emulator/src';
import { callAutotask, DEMO } from './support/autotask-kit';

// A frozen clock, moved only through the emulator, so periods and the usage window are exact.
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0); // 7 Dec 2026: contracts run from 1 Jan 2026, periods are calendar months
const FIRST_CONTRACT = AUTOTASK_DEMO_IDS.firstContract; // Adatum: E3 50 seats at 43.20, Power BI Pro 10 at 16.80
const E3 = AUTOTASK_DEMO_IDS.firstService + 3;

describe('the local Autotask', () => {
  let emulator: RunningAutotaskEmulator;
  let api: string;
  const call = (path: string, init?: Parameters<typeof callAutotask>[2]) => callAutotask(api, path, init);
  const query = (entity: string, search: unknown) => call(`/V1.0/${entity}/query`, { method: 'POST', json: search });
  const adjust = (body: Record<string, unknown>) => call('/V1.0/ContractServiceAdjustments', { method: 'POST', json: body });

  beforeAll(async () => {
    emulator = await startAutotaskEmulator({ now: () => NOW, settings: { usageLatency: [] } });
    api = emulator.zoneUrl;
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset(autotaskDemoScenario({ now: NOW })));

  describe('zone discovery', () => {
    it('answers ZoneInformation for a known API user without credentials, with its own URL as the zone', async () => {
      const zone = await call(`/V1.0/ZoneInformation?user=${encodeURIComponent(DEMO.userName)}`, {
        headers: { ApiIntegrationCode: undefined, UserName: undefined, Secret: undefined },
      });

      expect(zone.status).toBe(200);
      expect(Object.keys(zone.body).sort()).toEqual(['ci', 'url', 'webUrl', 'zoneName']);
      expect(zone.body.url).toBe(`${emulator.zoneUrl}/`);
      // Not counted against the threshold.
      expect(emulator.usage()).toBe(0);
    });

    it('answers 500 with the errors body for an unknown user', async () => {
      const zone = await call('/V1.0/ZoneInformation?user=nobody@example.com');

      expect(zone.status).toBe(500);
      expect(zone.body).toEqual({ errors: [expect.stringContaining('nobody@example.com')] });
    });
  });

  describe('authentication refusals', () => {
    it.each([
      ['no headers', 401, { ApiIntegrationCode: undefined, UserName: undefined, Secret: undefined }],
      ['a wrong secret', 401, { Secret: 'wrong' }],
      ['an unknown user name', 500, { UserName: 'nobody@example.com' }],
      ['a wrong tracking identifier', 500, { ApiIntegrationCode: 'NOTTHECODE' }],
    ])('refuses %s with %i and the errors body, uncounted', async (_name, status, headers) => {
      const answer = await call('/V1.0/Companies/0', { headers });

      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ errors: [expect.any(String)] });
      expect(emulator.usage()).toBe(0);
    });

    it('answers every refusal with 404 in the notFound mode (404-on-bad-auth)', async () => {
      emulator.settings({ authRefusal: 'notFound' });

      expect((await call('/V1.0/Companies/0', { headers: { Secret: 'wrong' } })).status).toBe(404);
      expect((await call('/V1.0/Companies/0', { headers: { UserName: 'nobody@example.com' } })).status).toBe(404);
      expect((await call('/V1.0/Companies/0')).status).toBe(200);
    });

    it('refuses a write by a read-only API user with 403, journaled, and lets it read', async () => {
      const headers = { UserName: AUTOTASK_READ_ONLY_CREDENTIALS.userName };
      const write = await call('/V1.0/ContractServiceAdjustments', {
        method: 'POST',
        headers,
        json: { contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-10', unitChange: 1 },
      });

      expect(write.status).toBe(403);
      expect(write.body).toEqual({ errors: [expect.stringMatching(/security level/)] });
      expect(emulator.journal()).toEqual([expect.objectContaining({ status: 403, userName: AUTOTASK_READ_ONLY_CREDENTIALS.userName })]);
      expect((await call('/V1.0/Companies/0', { headers })).status).toBe(200);
    });
  });

  describe('demo database', () => {
    it('has the Microsoft demo customers of Contoso under the same names, one without a contract and one service missing', async () => {
      const companies = (await query('Companies', { filter: [{ op: 'gt', field: 'id', value: 0 }] })).body.items as {
        id: number;
        companyName: string;
      }[];
      const microsoftNames = Object.values(DEMO_CUSTOMERS).map((customer) => customer.companyName);

      expect(companies).toHaveLength(25);
      for (const company of companies) expect(microsoftNames).toContain(company.companyName);
      const contracts = (await query('Contracts', { filter: [{ op: 'eq', field: 'status', value: 1 }] })).body.items as {
        companyID: number;
      }[];
      const without = companies
        .filter((company) => !contracts.some((contract) => contract.companyID === company.id))
        .map((company) => company.companyName);
      expect(without).toEqual([AUTOTASK_DEMO_COMPANY_WITHOUT_CONTRACT]);
      const services = (await query('Services', { filter: [{ op: 'exist', field: 'name' }] })).body.items as { name: string }[];
      expect(services.map((service) => service.name)).not.toContain(AUTOTASK_DEMO_MISSING_SERVICE);
      expect(services).toHaveLength(10);
    });

    it('bills each contract service with the seats of the demo', async () => {
      const units = (
        await query('ContractServiceUnits', {
          filter: [
            { op: 'eq', field: 'contractID', value: FIRST_CONTRACT },
            { op: 'lte', field: 'startDate', value: '2026-12-07' },
            { op: 'gte', field: 'endDate', value: '2026-12-07' },
          ],
        })
      ).body.items;

      expect(units.map((row: { serviceID: number; units: number }) => [row.serviceID, row.units])).toEqual([
        [E3, AUTOTASK_DEMO_CUSTOMERS[0].seats.e3],
        [AUTOTASK_DEMO_IDS.firstService + 8, 10],
      ]);
    });
  });

  describe('query', () => {
    it('filters with eq, in, contains, beginsWith, noteq, exist and nested and/or groups, field names in any case', async () => {
      const names = async (filter: unknown[]) =>
        ((await query('Companies', { filter })).body.items as { companyName: string }[]).map((company) => company.companyName);

      expect(await names([{ op: 'eq', field: 'companyname', value: 'coho winery' }])).toEqual(['Coho Winery']);
      expect(await names([{ op: 'in', field: 'id', value: [AUTOTASK_DEMO_IDS.firstCompany, AUTOTASK_DEMO_IDS.firstCompany + 1] }])).toEqual(
        ['Adatum Corporation', 'Alpine Ski House'],
      );
      expect(await names([{ op: 'contains', field: 'companyName', value: 'publish' }])).toEqual(['Lucerne Publishing', 'Nod Publishers']);
      expect(await names([{ op: 'beginsWith', field: 'companyName', value: 'Wo' }])).toEqual(['Woodgrove Bank']);
      expect(
        await names([
          { op: 'noteq', field: 'id', value: 0 },
          {
            op: 'or',
            items: [
              { op: 'endsWith', field: 'companyName', value: 'Bank' },
              {
                op: 'and',
                items: [
                  { op: 'beginsWith', field: 'companyName', value: 'C' },
                  { op: 'contains', field: 'companyName', value: 'Light' },
                ],
              },
            ],
          },
        ]),
      ).toEqual(['City Power & Light', 'Woodgrove Bank']);
      expect(
        await names([
          { op: 'eq', field: 'isActive', value: true },
          { op: 'notIn', field: 'id', value: [0] },
          { op: 'lt', field: 'id', value: AUTOTASK_DEMO_IDS.firstCompany + 1 },
        ]),
      ).toEqual(['Adatum Corporation']);
    });

    it('takes the search as JSON in the query string too, and counts', async () => {
      const search = encodeURIComponent(JSON.stringify({ filter: [{ op: 'eq', field: 'contractType', value: 7 }] }));

      expect((await call(`/V1.0/Contracts/query?search=${search}`)).body.items).toHaveLength(25);
      expect((await call(`/V1.0/Contracts/query/count?search=${search}`)).body).toEqual({ queryCount: 25 });
    });

    it.each([
      ['no filter', {}],
      ['an unknown field', { filter: [{ op: 'eq', field: 'nosuchfield', value: 1 }] }],
      ['an unknown operator', { filter: [{ op: 'like', field: 'id', value: 1 }] }],
      ['a boolean that is not true or false', { filter: [{ op: 'eq', field: 'isActive', value: 'yes' }] }],
      ['MaxRecords over 500', { filter: [{ op: 'gte', field: 'id', value: 0 }], MaxRecords: 501 }],
    ])('refuses %s with Autotask\u2019s errors body', async (_name, search) => {
      const answer = await query('Companies', search);

      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ errors: [expect.any(String)] });
    });

    it('answers GET by id as {item}, null for an id it does not have', async () => {
      expect((await call(`/V1.0/Contracts/${FIRST_CONTRACT}`)).body.item).toMatchObject({
        id: FIRST_CONTRACT,
        contractType: 7,
        status: 1,
        startDate: '2026-01-01T00:00:00Z',
      });
      expect((await call('/V1.0/Contracts/1')).body).toEqual({ item: null });
    });
  });

  describe('paging', () => {
    const many: AutotaskScenario = {
      ...autotaskDemoScenario({ now: NOW }),
      companies: Array.from({ length: 1203 }, (_, index) => ({
        id: 1000 + index,
        companyName: `Company ${String(index).padStart(4, '0')}`,
        companyType: 1,
        isActive: true,
      })),
    };

    it('serves at most 500 records a page, by id, linked by nextPageUrl and prevPageUrl until null', async () => {
      emulator.reset(many);
      const ids: number[] = [];
      let next: string | null = `${api}/V1.0/Companies/query`;
      const sizes: number[] = [];
      let second: { prevPageUrl: string | null } | undefined;
      let firstNext: string | undefined;
      while (next) {
        const page = await call(next, { method: 'POST', json: { filter: [{ op: 'gte', field: 'id', value: 0 }] } });
        expect(page.status).toBe(200);
        sizes.push(page.body.pageDetails.count);
        ids.push(...page.body.items.map((item: { id: number }) => item.id));
        if (sizes.length === 1) firstNext = page.body.pageDetails.nextPageUrl;
        if (sizes.length === 2) second = page.body.pageDetails;
        next = page.body.pageDetails.nextPageUrl;
      }

      expect(sizes).toEqual([500, 500, 203]);
      expect(ids).toEqual(many.companies.map((company) => company.id));
      const back = await call(second!.prevPageUrl!, { method: 'POST', json: { filter: [{ op: 'gte', field: 'id', value: 0 }] } });
      expect(back.body.items.map((item: { id: number }) => item.id)).toEqual(ids.slice(0, 500));
      // The links work by GET too: they carry the search.
      const page2 = await call(firstNext!);
      expect(page2.body.items.map((item: { id: number }) => item.id)).toEqual(ids.slice(500, 1000));
    });

    it('honours MaxRecords as the page size, and IncludeFields, which must hold id when more than 500 records match', async () => {
      emulator.reset(many);
      const small = await query('Companies', {
        filter: [{ op: 'gte', field: 'id', value: 0 }],
        MaxRecords: 2,
        IncludeFields: ['id', 'companyName'],
      });
      expect(small.body.items).toEqual([
        { id: 1000, companyName: 'Company 0000' },
        { id: 1001, companyName: 'Company 0001' },
      ]);
      expect(small.body.pageDetails).toMatchObject({
        count: 2,
        requestCount: 2,
        prevPageUrl: null,
        nextPageUrl: expect.stringContaining('/V1.0/Companies/query/next?paging='),
      });

      const refused = await query('Companies', {
        filter: [{ op: 'gte', field: 'id', value: 0 }],
        MaxRecords: 2,
        IncludeFields: ['companyName'],
      });
      expect(refused.status).toBe(500);
      expect(refused.body.errors[0]).toMatch(/IncludeFields must contain "id"/);
      // Under 500 matches, id may be left out.
      const few = await query('Companies', { filter: [{ op: 'lt', field: 'id', value: 1003 }], IncludeFields: ['companyName'] });
      expect(few.body.items).toEqual([
        { id: 1000, companyName: 'Company 0000' },
        { id: 1001, companyName: 'Company 0001' },
        { id: 1002, companyName: 'Company 0002' },
      ]);
    });
  });

  describe('hourly threshold', () => {
    it('reports usage in ThresholdInformation, answers 429 once the threshold is reached, and recovers as the window rolls', async () => {
      emulator.settings({ threshold: 5 });
      for (let i = 0; i < 3; i++) expect((await call('/V1.0/Companies/0')).status).toBe(200);

      // Reading the threshold counts too (assumed).
      expect((await call('/V1.0/ThresholdInformation')).body).toEqual({
        externalRequestThreshold: 5,
        requestThresholdTimeframe: 60,
        currentTimeframeRequestCount: 4,
      });
      expect((await call('/V1.0/Companies/0')).status).toBe(200);
      const refused = await call('/V1.0/Companies/0');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ errors: [expect.stringMatching(/threshold/i)] });
      // Refused requests are not counted; other integrations' requests are.
      expect(emulator.usage()).toBe(5);

      emulator.advanceClock(60 * 60);
      expect((await call('/V1.0/Companies/0')).status).toBe(200);
      expect(emulator.usage()).toBe(1);
    });
  });

  describe('ContractServiceAdjustments', () => {
    it('creates an adjustment, answers its itemId and splits the period\u2019s ContractServiceUnits at its effective date', async () => {
      const created = await adjust({ contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-15T00:00:00Z', unitChange: 3 });

      expect(created.status).toBe(200);
      expect(created.body).toEqual({ itemId: expect.any(Number) });
      const rows = (
        await query('ContractServiceUnits', {
          filter: [
            { op: 'eq', field: 'serviceID', value: E3 },
            { op: 'eq', field: 'contractID', value: FIRST_CONTRACT },
            { op: 'gte', field: 'startDate', value: '2026-12-01' },
            { op: 'lt', field: 'startDate', value: '2027-01-01' },
          ],
        })
      ).body.items;
      expect(rows.map((row: { startDate: string; endDate: string; units: number }) => [row.startDate, row.endDate, row.units])).toEqual([
        ['2026-12-01T00:00:00Z', '2026-12-14T00:00:00Z', 50],
        ['2026-12-15T00:00:00Z', '2026-12-31T00:00:00Z', 53],
      ]);
      const stored = (await call(`/V1.0/ContractServiceAdjustments/${created.body.itemId}`)).body.item;
      expect(stored).toMatchObject({
        contractID: FIRST_CONTRACT,
        serviceID: E3,
        contractServiceID: AUTOTASK_DEMO_IDS.firstContractService,
        unitChange: 3,
        effectiveDate: '2026-12-15T00:00:00Z',
      });
    });

    it('adds the service to the contract when it is not there yet', async () => {
      const copilot = AUTOTASK_DEMO_IDS.firstService + 7;
      const created = await call(`/V1.0/Contracts/${FIRST_CONTRACT}/ServiceAdjustments`, {
        method: 'POST',
        json: { serviceID: copilot, effectiveDate: '2026-12-01', unitChange: 4 },
      });

      expect(created.status).toBe(200);
      const services = (await query('ContractServices', { filter: [{ op: 'eq', field: 'contractID', value: FIRST_CONTRACT }] })).body.items;
      expect(services.map((service: { serviceID: number }) => service.serviceID)).toContain(copilot);
    });

    it.each([
      ['a missing field', { contractID: FIRST_CONTRACT, serviceID: E3, unitChange: 1 }, /effectiveDate/],
      ['an unknown contract', { contractID: 1, serviceID: E3, effectiveDate: '2026-12-10', unitChange: 1 }, /contractID/],
      [
        'a date outside the contract',
        { contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2030-01-01', unitChange: 1 },
        /outside the contract/,
      ],
      ['a change of zero units', { contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-10', unitChange: 0 }, /non-zero/],
      [
        'units below zero',
        { contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-10', unitChange: -51 },
        /cannot be negative/,
      ],
      [
        'a contract service of another service',
        {
          contractID: FIRST_CONTRACT,
          serviceID: E3,
          contractServiceID: AUTOTASK_DEMO_IDS.firstContractService + 1,
          effectiveDate: '2026-12-10',
          unitChange: 1,
        },
        /contractServiceID/,
      ],
    ])('refuses %s with 500 and the errors body, journaled', async (_name, body, message) => {
      const refused = await adjust(body);

      expect(refused.status).toBe(500);
      expect(refused.body).toEqual({ errors: [expect.stringMatching(message)] });
      expect(emulator.journal()).toEqual([
        expect.objectContaining({ status: 500, entity: 'ContractServiceAdjustments', errors: [expect.stringMatching(message)] }),
      ]);
    });

    it('answers refusals with 400 when told to', async () => {
      emulator.settings({ validationStatus: 400 });

      expect((await adjust({ contractID: 1, serviceID: E3, effectiveDate: '2026-12-10', unitChange: 1 })).status).toBe(400);
    });

    it('is create-only: PATCH and DELETE answer 405, ContractServiceUnits cannot be written', async () => {
      expect((await call('/V1.0/ContractServiceAdjustments', { method: 'PATCH', json: { id: 1, unitChange: 2 } })).status).toBe(405);
      expect((await call('/V1.0/ContractServiceUnits', { method: 'POST', json: {} })).status).toBe(405);
      expect((await call('/V1.0/ContractServiceAdjustments/5', { method: 'DELETE' })).status).toBe(405);
    });
  });

  describe('journal', () => {
    it('records every write with who sent it, what it sent and what Autotask answered; reads are not in it', async () => {
      await query('Companies', { filter: [{ op: 'eq', field: 'id', value: 0 }] });
      const created = await adjust({ contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-10', unitChange: 2 });
      await call(`/V1.0/Contracts/${FIRST_CONTRACT}/Services`, {
        method: 'PATCH',
        json: { id: AUTOTASK_DEMO_IDS.firstContractService, adjustedPrice: 40 },
      });

      expect(emulator.journal()).toEqual([
        expect.objectContaining({
          sequence: 1,
          method: 'POST',
          path: '/V1.0/ContractServiceAdjustments',
          status: 200,
          itemId: created.body.itemId,
          userName: DEMO.userName,
          body: { contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-10', unitChange: 2 },
        }),
        expect.objectContaining({ sequence: 2, method: 'PATCH', entity: 'ContractServices', status: 200 }),
      ]);
      const overHttp = await fetch(`${emulator.url}/__autotask/journal`).then((response) => response.json());
      expect(overHttp).toHaveLength(2);
    });
  });

  describe('invoice run', () => {
    it('bills whole periods at the units of the period\u2019s first day, and prorates adjustments by their effective date', async () => {
      await adjust({ contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-15', unitChange: 3 }); // 17 of 31 days
      await adjust({
        contractID: FIRST_CONTRACT,
        serviceID: AUTOTASK_DEMO_IDS.firstService + 8,
        effectiveDate: '2026-12-22',
        unitChange: -2,
      }); // 10 of 31 days

      const run = emulator.invoiceRun({ day: '2026-12-07', companyId: AUTOTASK_DEMO_IDS.firstCompany });

      expect(run.lines.map((line) => [line.kind, line.serviceName, line.units, line.proratedDays, line.amount])).toEqual([
        ['service', 'Microsoft 365 E3', 50, 31, '2160.00'],
        ['adjustment', 'Microsoft 365 E3', 3, 17, '71.07'], // 3 × 43.20 × 17/31 = 71.0709…
        ['service', 'Power BI Pro', 10, 31, '168.00'],
        ['adjustment', 'Power BI Pro', -2, 10, '-10.84'], // −2 × 16.80 × 10/31 = −10.8387…
      ]);
      expect(run.totals).toEqual([{ companyID: AUTOTASK_DEMO_IDS.firstCompany, companyName: 'Adatum Corporation', amount: '2388.23' }]);
      // The next period bills the new units in full, without prorated lines.
      const january = emulator.invoiceRun({ day: '2027-01-01', companyId: AUTOTASK_DEMO_IDS.firstCompany });
      expect(january.lines.map((line) => [line.kind, line.units, line.amount])).toEqual([
        ['service', 53, '2289.60'],
        ['service', 8, '134.40'],
      ]);
    });

    it('folds an adjustment effective on the period\u2019s first day into the whole period', async () => {
      await adjust({ contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-01', unitChange: 5 });

      const lines = emulator.invoiceRun({ day: '2026-12-31', companyId: AUTOTASK_DEMO_IDS.firstCompany }).lines;

      expect(lines.filter((line) => line.serviceID === E3).map((line) => [line.kind, line.units, line.amount])).toEqual([
        ['service', 55, '2376.00'],
      ]);
    });

    it('refuses adjustments dated in a period an invoice run posted', async () => {
      const posted = await fetch(`${emulator.url}/__autotask/invoice-run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ date: '2026-11-15', post: true }),
      });
      expect(posted.status).toBe(200);

      const refused = await adjust({ contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-11-20', unitChange: 1 });

      expect(refused.status).toBe(500);
      expect(refused.body.errors[0]).toMatch(/already been approved and posted/);
      expect((await adjust({ contractID: FIRST_CONTRACT, serviceID: E3, effectiveDate: '2026-12-02', unitChange: 1 })).status).toBe(200);
    });

    it('bills no contract for the company without one', () => {
      const nod =
        AUTOTASK_DEMO_IDS.firstCompany +
        AUTOTASK_DEMO_CUSTOMERS.findIndex((customer) => customer.companyName === AUTOTASK_DEMO_COMPANY_WITHOUT_CONTRACT);

      expect(emulator.invoiceRun({ day: '2026-12-07', companyId: nod }).lines).toEqual([]);
    });
  });

  describe('fault injection', () => {
    it('answers injected statuses with Autotask\u2019s body, for the count asked, through the admin route', async () => {
      const added = await fetch(`${emulator.url}/__autotask/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'POST', path: '/V1.0/*/query', status: 429, retryAfterSeconds: 9, count: 1 }),
      });
      expect(added.status).toBe(201);

      const throttled = await query('Companies', { filter: [{ op: 'eq', field: 'id', value: 0 }] });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('9');
      expect(throttled.body).toEqual({ errors: [expect.any(String)] });
      expect((await query('Companies', { filter: [{ op: 'eq', field: 'id', value: 0 }] })).status).toBe(200);
    });

    it.each([401, 404, 500])('injects %i whatever the credentials', async (status) => {
      emulator.addFault({ path: '/V1.0/Companies/**', status, count: 1 });

      const answer = await call('/V1.0/Companies/0');

      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ errors: [expect.any(String)] });
    });

    it('delays with a latency fault and then answers normally', async () => {
      emulator.addFault({ path: '/V1.0/Companies/0', kind: 'latency', latencyMs: 5, count: 1 });

      expect((await call('/V1.0/Companies/0')).body.item.companyName).toBe('Contoso Partners');
    });

    it('drops the connection with a reset fault', async () => {
      emulator.addFault({ path: '/V1.0/Companies/0', kind: 'reset', count: 1 });

      await expect(call('/V1.0/Companies/0')).rejects.toThrow();
      expect((await call('/V1.0/Companies/0')).status).toBe(200);
    });
  });
});
