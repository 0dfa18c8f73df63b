import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildConnectWiseScenario,
  DEMO_CONNECTWISE_LIMITED_MEMBER,
  DEMO_CONNECTWISE_QUIRKS,
  DEMO_PRODUCTS,
  startConnectWiseEmulator,
} from '../../libs/connectwise-psa-emulator/src';
import { DEMO_CUSTOMERS, DEMO_IDS } from '../../libs/microsoft-emulator/src';
import { CW_API, conditionsQuery, cwCall, useConnectWiseEmulator } from './support/connectwise-test-kit';

// Fidelity of the local ConnectWise: each documented behaviour (FACTS §1) answered with ConnectWise's status and
// body shape.
describe('ConnectWise emulator', () => {
  const env = useConnectWiseEmulator();

  describe('codebase discovery and authentication', () => {
    it('answers /login/companyinfo/{company} with the codebase, and 404 for an unknown company', async () => {
      const info = await cwCall(env.emulator, '/login/companyinfo/CONTOSO', { auth: null, clientId: null });
      const unknown = await cwCall(env.emulator, '/login/companyinfo/fabrikam', { auth: null, clientId: null });

      expect(info.status).toBe(200);
      expect(info.body).toMatchObject({ Codebase: 'v4_6_release/', CompanyID: 'contoso' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ code: 'NotFound', message: 'The requested resource was not found.' });
    });

    it('refuses a request without clientId, without Authorization, with bad keys or another company, in ConnectWise’s body', async () => {
      const noClientId = await cwCall(env.emulator, '/company/companies', { clientId: null });
      const unknownClientId = await cwCall(env.emulator, '/company/companies', { clientId: '00000000-0000-0000-0000-000000000000' });
      const noAuth = await cwCall(env.emulator, '/company/companies', { auth: null });
      const badPrivate = await cwCall(env.emulator, '/company/companies', { auth: { privateKey: 'wrong' } });
      const badPublic = await cwCall(env.emulator, '/company/companies', { auth: { publicKey: 'wrong' } });
      const otherCompany = await cwCall(env.emulator, '/company/companies', { auth: { companyId: 'fabrikam' } });

      expect(noClientId).toMatchObject({ status: 401, body: { code: 'Unauthorized' } });
      expect(noClientId.body.message).toMatch(/clientId/);
      expect(unknownClientId).toMatchObject({ status: 401, body: { code: 'Unauthorized', message: 'The clientId is not valid.' } });
      expect(noAuth).toMatchObject({
        status: 401,
        body: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' },
      });
      for (const refused of [badPrivate, badPublic, otherCompany]) {
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual({ code: 'ConnectWiseApi', message: 'UserNotAuthenticated' });
      }
    });

    it('answers bad credentials with 404 in cloud mode (FACTS: on cloud, bad auth may show as 404)', async () => {
      await cwCall(env.emulator, '/__emulator/settings', { method: 'POST', json: { badCredentialsStatus: 404 } });

      const refused = await cwCall(env.emulator, '/company/companies', { auth: { privateKey: 'wrong' } });
      const good = await cwCall(env.emulator, '/company/companies');

      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ code: 'NotFound', message: 'The requested resource was not found.' });
      expect(good.status).toBe(200);
    });

    it('answers 403 to an API member whose role lacks Finance → Agreements, and lets it read what it may', async () => {
      const limited = { auth: DEMO_CONNECTWISE_LIMITED_MEMBER };

      const agreements = await cwCall(env.emulator, '/finance/agreements', limited);
      const companies = await cwCall(env.emulator, '/company/companies', limited);

      expect(agreements.status).toBe(403);
      expect(agreements.body.code).toBe('Forbidden');
      expect(agreements.body.message).toMatch(/Finance → Agreements/);
      expect(companies.status).toBe(200);
    });
  });

  describe('demo data', () => {
    it('holds the Microsoft demo’s 25 Contoso customers by the same names, one without an agreement', async () => {
      const companies = await cwCall(env.emulator, '/company/companies?pageSize=1000');
      const agreements = await cwCall(env.emulator, `/finance/agreements?pageSize=1000&${conditionsQuery('agreementStatus="Active"')}`);

      const contosoCustomers = Object.values(DEMO_CUSTOMERS).filter((customer) => customer.partnerTenantId === DEMO_IDS.contosoTenant);
      expect(companies.body.map((company: { name: string }) => company.name).sort()).toEqual(
        contosoCustomers.map((customer) => customer.companyName).sort(),
      );
      const withAgreement = new Set(agreements.body.map((agreement: { company: { name: string } }) => agreement.company.name));
      expect(
        companies.body
          .filter((company: { name: string }) => !withAgreement.has(company.name))
          .map((company: { name: string }) => company.name),
      ).toEqual([DEMO_CONNECTWISE_QUIRKS.withoutAgreement]);
    });

    it('has a catalog product for every Microsoft product but Teams Essentials, and one inactive product', async () => {
      const catalog = await cwCall(env.emulator, '/procurement/catalog?pageSize=1000');

      const identifiers = catalog.body.map((item: { identifier: string }) => item.identifier);
      expect(identifiers).toEqual(expect.arrayContaining(Object.values(DEMO_PRODUCTS).map((product) => product.identifier)));
      expect(catalog.body.some((item: { description: string }) => /Teams Essentials/i.test(item.description))).toBe(false);
      expect(
        catalog.body.filter((item: { inactiveFlag: boolean }) => item.inactiveFlag).map((item: { identifier: string }) => item.identifier),
      ).toEqual([DEMO_CONNECTWISE_QUIRKS.inactiveProduct]);
    });
  });

  describe('paging', () => {
    it('pages 25 by default with ConnectWise’s absolute Link header (first/prev/next/last), keeping the conditions', async () => {
      const first = await cwCall(env.emulator, '/company/companies');
      const base = `${env.emulator.url}${CW_API}/company/companies`;
      expect(first.body).toHaveLength(25);
      expect(first.headers.get('link')).toBeNull(); // 25 companies: one page

      const conditions = conditionsQuery('name contains "o"');
      const page1 = await cwCall(env.emulator, `/company/companies?pageSize=5&${conditions}`);
      const page2 = await cwCall(env.emulator, `/company/companies?pageSize=5&page=2&${conditions}`);

      const matching = (await cwCall(env.emulator, `/company/companies/count?${conditions}`)).body.count as number;
      const last = Math.ceil(matching / 5);
      const encoded = 'conditions=name%20contains%20%22o%22';
      expect(page1.headers.get('link')).toBe(
        `<${base}?pageSize=5&${encoded}&page=2>; rel="next", <${base}?pageSize=5&${encoded}&page=${last}>; rel="last"`,
      );
      expect(page2.headers.get('link')).toBe(
        `<${base}?pageSize=5&page=1&${encoded}>; rel="first", <${base}?pageSize=5&page=1&${encoded}>; rel="prev", <${base}?pageSize=5&page=3&${encoded}>; rel="next", <${base}?pageSize=5&page=${last}&${encoded}>; rel="last"`,
      );
      expect(page2.body[0].id).toBeGreaterThan(page1.body[4].id);
    });

    it('clamps pageSize to 1000 and refuses a page that is not a positive number', async () => {
      const big = await cwCall(env.emulator, '/company/companies?pageSize=5000');
      const bad = await cwCall(env.emulator, '/company/companies?page=0');

      expect(big.body).toHaveLength(25);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('BadRequest');
    });

    it('pages forward-only by pageId (id > pageId) with a next link only, and an empty Link header on the last page', async () => {
      const headers = { 'pagination-type': 'forward-only' };
      const ids: number[] = [];
      let url = '/company/companies?pageSize=10';
      const links: string[] = [];
      for (let guard = 0; guard < 10; guard++) {
        const page = await cwCall(env.emulator, url, { headers });
        ids.push(...page.body.map((company: { id: number }) => company.id));
        const link = page.headers.get('link');
        expect(link).not.toBeNull(); // forward-only always answers a Link header
        links.push(link!);
        if (!link) break;
        url = /<([^>]+)>; rel="next"/.exec(link)![1];
      }

      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(25);
      expect(links).toHaveLength(3);
      expect(links[0]).toBe(`<${env.emulator.url}${CW_API}/company/companies?pageSize=10&pageId=${ids[9]}>; rel="next"`);
      expect(links[2]).toBe('');
    });
  });

  describe('conditions', () => {
    it('filters by the documented grammar: paths, and/or, in, contains, like, dates, escaped quotes', async () => {
      const names = async (conditions: string, path = '/company/companies') =>
        (await cwCall(env.emulator, `${path}?pageSize=1000&${conditionsQuery(conditions)}`)).body.map(
          (record: { name: string }) => record.name,
        );

      expect(await names('name="City Power & Light"')).toEqual(['City Power & Light']);
      expect(await names('name = "Margie\'s Travel" or identifier = "CohoWinery"')).toEqual(['Coho Winery', "Margie's Travel"]);
      expect(await names('id in (250, 256) and name like "A*"')).toEqual(['Adatum Corporation']);
      expect(await names('name like "%Publish%" and name not contains "Lucerne"')).toEqual(['Nod Publishers']);
      expect(await names('name = "Bob \\"The\\" Builder"')).toEqual([]);
      const adatum = await names('company/id=250', '/finance/agreements');
      expect(adatum).toEqual(['Microsoft 365 (2024)', 'Microsoft 365']);
      const started = await cwCall(env.emulator, `/finance/agreements?${conditionsQuery('startDate > [2100-01-01T00:00:00Z]')}`);
      expect(started.body).toEqual([]);
    });

    it('answers 400 for an unknown field or a syntax error', async () => {
      const unknown = await cwCall(env.emulator, `/company/companies?${conditionsQuery('colour = "blue"')}`);
      const broken = await cwCall(env.emulator, `/company/companies?${conditionsQuery('name = "unclosed')}`);

      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ code: 'InvalidConditions', message: 'Unknown field "colour" in the conditions.' });
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('InvalidConditions');
    });
  });

  describe('additions', () => {
    const agreementOf = async (companyName: string) =>
      (await cwCall(env.emulator, `/finance/agreements?${conditionsQuery(`company/name="${companyName}" and agreementStatus="Active"`)}`))
        .body[0];

    it('refuses an invalid addition with InvalidObject and one error per field, and journals the refusal', async () => {
      const agreement = await agreementOf('Coho Winery');

      const missing = await cwCall(env.emulator, `/finance/agreements/${agreement.id}/additions`, {
        method: 'POST',
        json: { quantity: 2 },
      });
      const bad = await cwCall(env.emulator, `/finance/agreements/${agreement.id}/additions`, {
        method: 'POST',
        json: { product: { identifier: 'O365-E3-LEGACY' }, billCustomer: 'Sometimes', serialNumber: 'x'.repeat(51) },
      });

      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        code: 'InvalidObject',
        message: 'agreementAddition object is invalid',
        errors: [
          { code: 'MissingRequiredField', message: 'The product field is required.', resource: 'agreementAddition', field: 'product' },
          {
            code: 'MissingRequiredField',
            message: 'The billCustomer field is required.',
            resource: 'agreementAddition',
            field: 'billCustomer',
          },
        ],
      });
      expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(['product', 'billCustomer', 'serialNumber']);
      expect(env.emulator.journal().map((entry) => [entry.method, entry.status, entry.outcome])).toEqual([
        ['POST', 400, 'refused'],
        ['POST', 400, 'refused'],
      ]);
      expect(env.emulator.journal({ appliedOnly: true })).toEqual([]);
    });

    it('creates, patches (JSON-patch operations), cancels and deletes, journalling each write with before and after', async () => {
      const agreement = await agreementOf('Coho Winery');
      const path = `/finance/agreements/${agreement.id}/additions`;

      const created = await cwCall(env.emulator, path, {
        method: 'POST',
        json: { product: { identifier: 'M365-COPILOT' }, billCustomer: 'Billable', quantity: 2, effectiveDate: '2026-12-16' },
      });
      const patched = await cwCall(env.emulator, `${path}/${created.body.id}`, {
        method: 'PATCH',
        json: [{ op: 'replace', path: 'quantity', value: 12 }],
      });
      const cancelled = await cwCall(env.emulator, `${path}/${created.body.id}`, {
        method: 'PATCH',
        json: [{ op: 'replace', path: '/cancelledDate', value: '2026-12-31T00:00:00Z' }],
      });
      const badOp = await cwCall(env.emulator, `${path}/${created.body.id}`, {
        method: 'PATCH',
        json: [{ op: 'replace', path: 'colour', value: 'blue' }],
      });
      const deleted = await cwCall(env.emulator, `${path}/${created.body.id}`, { method: 'DELETE' });
      const gone = await cwCall(env.emulator, `${path}/${created.body.id}`);

      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        product: { identifier: 'M365-COPILOT' },
        quantity: 2,
        unitPrice: 36,
        effectiveDate: '2026-12-16T00:00:00Z',
        billedQuantity: 2,
      });
      expect(patched.body.quantity).toBe(12);
      expect(cancelled.body.cancelledDate).toBe('2026-12-31T00:00:00Z');
      expect(badOp.status).toBe(400);
      expect(badOp.body.code).toBe('InvalidObject');
      expect(deleted.status).toBe(204);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('NotFound');
      const applied = env.emulator.journal({ appliedOnly: true });
      expect(applied.map((entry) => [entry.method, entry.status, entry.additionId])).toEqual([
        ['POST', 201, created.body.id],
        ['PATCH', 200, created.body.id],
        ['PATCH', 200, created.body.id],
        ['DELETE', 204, created.body.id],
      ]);
      expect(applied[1]).toMatchObject({
        agreementId: agreement.id,
        before: { quantity: 2 },
        after: { quantity: 12 },
        request: [{ op: 'replace', path: 'quantity', value: 12 }],
      });
    });

    it('counts additions with conditions (…/additions/count)', async () => {
      const agreement = await agreementOf('Coho Winery');

      const all = await cwCall(env.emulator, `/finance/agreements/${agreement.id}/additions/count`);
      const current = await cwCall(
        env.emulator,
        `/finance/agreements/${agreement.id}/additions/count?${conditionsQuery('cancelledDate = null')}`,
      );

      expect(all.body).toEqual({ count: 2 });
      expect(current.body).toEqual({ count: 1 });
    });
  });

  describe('rate limit and fault injection', () => {
    it('answers 429 with Retry-After once an API member exceeds its window, and the write is journalled as faulted', async () => {
      await cwCall(env.emulator, '/__emulator/settings', { method: 'POST', json: { rateLimit: { limit: 2, windowSeconds: 30 } } });

      const answers = [await cwCall(env.emulator, '/company/companies'), await cwCall(env.emulator, '/company/companies')];
      const refused = await cwCall(env.emulator, '/finance/agreements/101/additions/1000', {
        method: 'PATCH',
        json: [{ op: 'replace', path: 'quantity', value: 1 }],
      });

      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.body.code).toBe('TooManyRequests');
      expect(env.emulator.journal()).toMatchObject([{ method: 'PATCH', status: 429, outcome: 'faulted' }]);
    });

    it('injects 401, 404-on-bad-auth, 429 and 500 from the admin route, each counted down', async () => {
      const add = (rule: object) => cwCall(env.emulator, '/__emulator/faults', { method: 'POST', json: rule });
      expect((await add({ path: '/company/companies', status: 429, retryAfterSeconds: 9, count: 1 })).status).toBe(201);
      await add({ path: '/company/companies', status: 500, count: 1 });
      await add({ path: '/company/companies', status: 401, count: 1 });
      await add({ path: '/company/companies', kind: 'badAuth404', count: 1 });

      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await cwCall(env.emulator, '/company/companies'));

      expect(answers.map((answer) => answer.status)).toEqual([429, 500, 401, 404, 200]);
      expect(answers[0].headers.get('retry-after')).toBe('9');
      expect(answers[1].body).toEqual({ code: 'InternalServerError', message: 'An error has occurred.' });
      expect(answers[2].body).toEqual({ code: 'ConnectWiseApi', message: 'UserNotAuthenticated' });
      expect(answers[3].body).toEqual({ code: 'NotFound', message: 'The requested resource was not found.' });
      expect((await cwCall(env.emulator, '/__emulator/faults')).body).toEqual([]);
    });

    it('refuses a malformed fault rule with the reason', async () => {
      const refused = await cwCall(env.emulator, '/__emulator/faults', { method: 'POST', json: { path: 'no-slash', status: 200 } });

      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatch(/"path"/);
      expect(refused.body.error).toMatch(/"status"/);
    });
  });
});

describe('ConnectWise emulator persistence', () => {
  it('keeps what was written across a restart when given a dataDir, and reset goes back to the scenario', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cw-emulator-'));
    try {
      const first = await startConnectWiseEmulator({ dataDir });
      const patched = await cwCall(first, '/finance/agreements/101/additions/1000', {
        method: 'PATCH',
        json: [{ op: 'replace', path: 'quantity', value: 51 }],
      });
      await first.close();
      const second = await startConnectWiseEmulator({ dataDir });
      const reread = await cwCall(second, '/finance/agreements/101/additions/1000');
      const journal = second.journal({ appliedOnly: true });
      second.reset();
      const afterReset = await cwCall(second, '/finance/agreements/101/additions/1000');
      await second.close();

      expect(patched.body.quantity).toBe(51);
      expect(reread.body.quantity).toBe(51);
      expect(journal).toHaveLength(1);
      expect(afterReset.body.quantity).toBe(50);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('ConnectWise emulator with a built world', () => {
  it('serves 2,000 companies from a plain list, with the demo keys, walking them forward-only 1,000 at a time', async () => {
    const companies = Array.from({ length: 2000 }, (_, index) => ({
      name: index % 2 === 0 ? `Customer ${index} & Sons` : `Customer ${index}`,
      additions: index % 10 === 0 ? null : [{ product: 'M365-BUS-PREM', quantity: 1 + (index % 40) }],
    }));
    const emulator = await startConnectWiseEmulator({
      scenario: buildConnectWiseScenario(companies, { now: Date.parse('2026-12-16T00:00:00Z') }),
      settings: { rateLimit: null },
    });
    try {
      const first = await cwCall(emulator, '/company/companies?pageSize=1000', { headers: { 'pagination-type': 'forward-only' } });
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')![1];
      const second = await cwCall(emulator, next, { headers: { 'pagination-type': 'forward-only' } });
      const agreements = await cwCall(emulator, '/finance/agreements/count');

      expect(first.body).toHaveLength(1000);
      expect(second.body).toHaveLength(1000);
      expect(second.headers.get('link')).toBe('');
      expect(agreements.body).toEqual({ count: 1800 });
      expect(() => buildConnectWiseScenario([{ name: 'X', additions: [{ product: 'NOPE', quantity: 1 }] }])).toThrow(/NOPE/);
    } finally {
      await emulator.close();
    }
  });
});
