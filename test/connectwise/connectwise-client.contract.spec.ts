import {
  apiUrlForSite,
  type ConnectWiseApiError,
  ConnectWiseAuthenticationError,
  ConnectWiseForbiddenError,
  ConnectWiseNotFoundError,
  ConnectWisePsaClient,
  ConnectWiseRateLimitError,
  ConnectWiseValidationError,
  cw,
  parseLinkHeader,
} from '../../libs/connectwise-psa/src';
import { fixtureText, recordingSleep, ScriptedHttpServer } from './support/scripted-http-server';

// The ConnectWise client against the documented bodies in test/fixtures/connectwise (see its README for sources),
// served by a scripted local server.
const CREDENTIALS = {
  companyId: 'contoso',
  publicKey: 'pub+lic',
  privateKey: 'pri:vate',
  clientId: '7c1f0b9e-3a52-4d8e-9b61-2f4a6c8d0e13',
};
const API = '/v4_6_release/apis/3.0';

describe('ConnectWisePsaClient against ConnectWise’s documented bodies', () => {
  let server: ScriptedHttpServer;
  let clock: ReturnType<typeof recordingSleep>;
  let client: ConnectWisePsaClient;

  beforeAll(async () => {
    server = await ScriptedHttpServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    clock = recordingSleep();
    client = new ConnectWisePsaClient({
      apiBaseUrl: `${server.url}${API}`,
      credentials: CREDENTIALS,
      sleep: clock.sleep,
      random: () => 0.5,
    });
  });

  it('discovers the codebase from companyinfo (trailing slash kept by ConnectWise) and builds {site}/{codebase}apis/3.0', async () => {
    server.script('GET /login/companyinfo/contoso', {
      body: fixtureText('cw-companyinfo.json'),
      headers: { 'content-type': 'application/json' },
    });
    server.script(`GET ${API}/company/companies`, { json: [] });

    const connected = await ConnectWisePsaClient.connect({ siteUrl: server.url, credentials: CREDENTIALS });
    await connected.listCompanies().all();

    expect(connected.apiBaseUrl).toBe(`${server.url}/v4_6_release/apis/3.0`);
    const [info, list] = server.requests;
    expect(info.headers.authorization).toBeUndefined(); // companyinfo is asked without the keys
    expect(list.url.pathname).toBe('/v4_6_release/apis/3.0/company/companies');
  });

  it('sends Basic company+public:private and the clientId header on every API call', async () => {
    server.script(`GET ${API}/company/companies/250`, { json: { id: 250, identifier: 'AdatumCorporation', name: 'Adatum Corporation' } });

    const company = await client.getCompany(250);

    expect(company.name).toBe('Adatum Corporation');
    const { headers } = server.requests[0];
    expect(headers.authorization).toBe(`Basic ${Buffer.from('contoso+pub+lic:pri:vate').toString('base64')}`);
    expect(headers.clientid).toBe(CREDENTIALS.clientId);
    expect(headers.accept).toBe('application/json');
  });

  it('uses api-{site} for ConnectWise cloud sites and the site itself elsewhere', () => {
    expect(apiUrlForSite('https://na.myconnectwise.net')).toBe('https://api-na.myconnectwise.net');
    expect(apiUrlForSite('eu.myconnectwise.net')).toBe('https://api-eu.myconnectwise.net');
    expect(apiUrlForSite('https://api-au.myconnectwise.net')).toBe('https://api-au.myconnectwise.net');
    expect(apiUrlForSite('https://cw.example.com:8443')).toBe('https://cw.example.com:8443');
  });

  it('sends the documented PATCH body for a quantity change, byte for byte', async () => {
    server.script(`PATCH ${API}/finance/agreements/101/additions/1000`, {
      json: { id: 1000, product: { id: 503 }, billCustomer: 'Billable', quantity: 12 },
    });

    const addition = await client.setAdditionQuantity(101, 1000, 12);

    expect(addition.quantity).toBe(12);
    const [request] = server.requests;
    expect(request.body).toBe(fixtureText('cw-patch-replace-quantity.json').trim());
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('cancels an addition by replacing cancelledDate with a UTC date-time', async () => {
    server.script(`PATCH ${API}/finance/agreements/101/additions/1000`, {
      json: { id: 1000, product: { id: 503 }, billCustomer: 'Billable', cancelledDate: '2026-12-31T00:00:00Z' },
    });

    await client.cancelAddition(101, 1000, '2026-12-31');

    expect(JSON.parse(server.requests[0].body)).toEqual([{ op: 'replace', path: 'cancelledDate', value: '2026-12-31T00:00:00Z' }]);
  });

  it('deletes an addition with DELETE and an empty 204', async () => {
    server.script(`DELETE ${API}/finance/agreements/101/additions/1045`, { status: 204 });

    await client.deleteAddition(101, 1045);

    expect(server.requests.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      `DELETE ${API}/finance/agreements/101/additions/1045`,
    ]);
  });

  it('surfaces the InvalidObject body as a ConnectWiseValidationError with ConnectWise’s words and a fix, and does not resend the write', async () => {
    server.script(`POST ${API}/finance/agreements/101/additions`, {
      status: 400,
      body: fixtureText('cw-error-invalid-object.json'),
      headers: { 'content-type': 'application/json' },
    });

    const error = await client.createAddition(101, { product: { id: 1 }, billCustomer: 'Billable' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConnectWiseValidationError);
    const refusal = error as ConnectWiseValidationError;
    expect(refusal).toMatchObject({ status: 400, code: 'InvalidObject', kind: 'validation' });
    expect(refusal.psaMessage).toBe('configuration object is invalid: id or deviceIdentifier is required.');
    expect(refusal.errors).toEqual([
      { code: 'MissingRequiredField', message: 'id or deviceIdentifier is required.', resource: 'configuration', field: 'id' },
    ]);
    expect(refusal.fix).toMatch(/ConnectWise refused the change/);
    expect(server.requests).toHaveLength(1);
  });

  it('maps 401 (UserNotAuthenticated) to an authentication error that says which keys to check, without retrying', async () => {
    server.script(`GET ${API}/company/companies`, {
      status: 401,
      body: fixtureText('cw-error-user-not-authenticated.json'),
      headers: { 'content-type': 'application/json' },
    });

    const error = (await client
      .listCompanies()
      .all()
      .catch((caught: unknown) => caught)) as ConnectWiseApiError;

    expect(error).toBeInstanceOf(ConnectWiseAuthenticationError);
    expect(error.code).toBe('ConnectWiseApi');
    expect(error.psaMessage).toBe('UserNotAuthenticated');
    expect(error.fix).toMatch(/public and private keys/);
    expect(error.message).not.toContain('pri:vate');
    expect(server.requests).toHaveLength(1);
  });

  it('reads a 404 on a collection as ConnectWise cloud hiding bad credentials, and a 404 on a record as not found', async () => {
    server.script(`GET ${API}/finance/agreements`, {
      status: 404,
      json: { code: 'NotFound', message: 'The requested resource was not found.' },
    });
    server.script(`GET ${API}/finance/agreements/999`, {
      status: 404,
      json: { code: 'NotFound', message: 'Agreement with id 999 was not found.' },
    });
    server.script('GET /login/companyinfo/nobody', {
      status: 404,
      json: { code: 'NotFound', message: 'The requested resource was not found.' },
    });

    const collection = await client
      .listAgreements()
      .all()
      .catch((caught: unknown) => caught);
    const record = await client.getAgreement(999).catch((caught: unknown) => caught);
    const companyInfo = await ConnectWisePsaClient.companyInfo(server.url, 'nobody').catch((caught: unknown) => caught);

    expect(collection).toBeInstanceOf(ConnectWiseAuthenticationError);
    expect((collection as ConnectWiseApiError).fix).toMatch(/hides wrong credentials/);
    expect(record).toBeInstanceOf(ConnectWiseNotFoundError);
    expect((record as ConnectWiseApiError).psaMessage).toBe('Agreement with id 999 was not found.');
    expect(companyInfo).toBeInstanceOf(ConnectWiseAuthenticationError);
    expect((companyInfo as ConnectWiseApiError).fix).toMatch(/company ID/);
  });

  it('maps 403 to a forbidden error naming the security role areas', async () => {
    server.script(`GET ${API}/finance/agreements/101`, {
      status: 403,
      json: { code: 'Forbidden', message: 'You do not have access to Finance → Agreements.' },
    });

    const error = await client.getAgreement(101).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConnectWiseForbiddenError);
    expect((error as ConnectWiseApiError).fix).toMatch(/Finance → Agreements/);
  });

  it('waits out Retry-After on 429 and succeeds, a write included (refused before any work)', async () => {
    server.script(
      `POST ${API}/finance/agreements/101/additions`,
      { status: 429, headers: { 'retry-after': '7' }, json: { code: 'TooManyRequests', message: 'Too many requests.' } },
      { status: 201, json: { id: 1045, product: { id: 503 }, billCustomer: 'Billable', quantity: 3 } },
    );

    const created = await client.createAddition(101, { product: { id: 503 }, billCustomer: 'Billable', quantity: 3 });

    expect(created.id).toBe(1045);
    expect(clock.waits).toEqual([7000]);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after a bounded number of 429s, with Retry-After on the error, and never waits longer than the cap', async () => {
    server.script(`GET ${API}/company/companies`, {
      status: 429,
      headers: { 'retry-after': '2' },
      json: { code: 'TooManyRequests', message: 'Too many requests.' },
    });
    server.script(`GET ${API}/procurement/catalog`, {
      status: 429,
      headers: { 'retry-after': '3600' },
      json: { code: 'TooManyRequests', message: 'Too many requests.' },
    });

    const storm = (await client
      .listCompanies()
      .all()
      .catch((caught: unknown) => caught)) as ConnectWiseRateLimitError;
    const long = (await client
      .listCatalogItems()
      .all()
      .catch((caught: unknown) => caught)) as ConnectWiseRateLimitError;

    expect(storm).toBeInstanceOf(ConnectWiseRateLimitError);
    expect(storm.attempts).toBe(4);
    expect(storm.retryAfterSeconds).toBe(2);
    expect(clock.waits).toEqual([2000, 2000, 2000]);
    expect(long.attempts).toBe(1); // an hour is not waited for here: the caller reschedules
    expect(long.retryAfterSeconds).toBe(3600);
    expect(long.isTransient).toBe(true);
  });

  it('retries a read after a 500 but never a write (its effect is unknown)', async () => {
    server.script(
      `GET ${API}/finance/agreements/101`,
      { status: 500, json: { code: 'InternalServerError', message: 'An error has occurred.' } },
      { json: { id: 101, name: 'Microsoft 365', company: { id: 250 } } },
    );
    server.script(`PATCH ${API}/finance/agreements/101/additions/1000`, {
      status: 500,
      json: { code: 'InternalServerError', message: 'An error has occurred.' },
    });

    const agreement = await client.getAgreement(101);
    const write = (await client.setAdditionQuantity(101, 1000, 5).catch((caught: unknown) => caught)) as ConnectWiseApiError;

    expect(agreement.name).toBe('Microsoft 365');
    expect(write.kind).toBe('server');
    expect(server.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  });

  it('parses the documented Link header and follows rel="next" until a page has none', async () => {
    expect(parseLinkHeader(fixtureText('cw-link-header-next.txt'))).toEqual({
      next: 'https://SERVERNAME/v4_6_release/apis/3.0/company/companies?pageSize=1000&page=2',
    });
    server.script(`GET ${API}/company/companies`, (request) => {
      const page = Number(request.url.searchParams.get('page'));
      const next = `<${server.url}${API}/company/companies?pageSize=2&page=${page + 1}>; rel="next"`;
      const last = `<${server.url}${API}/company/companies?pageSize=2&page=3>; rel="last"`;
      const first = `<${server.url}${API}/company/companies?pageSize=2&page=1>; rel="first"`;
      if (page === 1) return { json: [{ id: 1 }, { id: 2 }], headers: { link: `${next}, ${last}` } };
      if (page === 2) return { json: [{ id: 3 }, { id: 4 }], headers: { link: `${first}, ${next}, ${last}` } };
      return { json: [{ id: 5 }], headers: { link: first } };
    });

    const companies = await client.listCompanies({ pageSize: 2, conditions: cw.eq('name', 'A & B "C"') }).all();

    expect(companies.map((company) => company.id)).toEqual([1, 2, 3, 4, 5]);
    expect(server.requests.map((request) => request.url.searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(server.requests[0].pathAndQuery).toBe(
      `${API}/company/companies?conditions=name%20%3D%20%22A%20%26%20B%20%5C%22C%5C%22%22&pageSize=2&page=1`,
    );
  });

  it('asks for forward-only paging with the header and follows pageId links to the empty Link of the last page', async () => {
    server.script(`GET ${API}/finance/agreements/101/additions`, (request) => {
      const pageId = Number(request.url.searchParams.get('pageId') ?? 0);
      if (pageId === 0)
        return {
          json: [{ id: 1000 }, { id: 1001 }],
          headers: { link: `<${server.url}${API}/finance/agreements/101/additions?pageSize=2&pageId=1001>; rel="next"` },
        };
      return { json: [{ id: 1002 }], headers: { link: '' } };
    });

    const additions = await client.listAdditions(101, { pageSize: 2, forwardOnly: true, orderBy: 'id desc' }).all();

    expect(additions.map((addition) => addition.id)).toEqual([1000, 1001, 1002]);
    expect(server.requests.every((request) => request.headers['pagination-type'] === 'forward-only')).toBe(true);
    expect(server.requests[0].url.searchParams.get('orderBy')).toBeNull();
    expect(server.requests[0].url.searchParams.get('page')).toBeNull();
  });

  it('refuses to follow a Link to another host with the keys', async () => {
    server.script(`GET ${API}/company/companies`, {
      json: [{ id: 1 }],
      headers: { link: '<https://evil.example/v4_6_release/apis/3.0/company/companies?page=2>; rel="next"' },
    });

    const error = (await client
      .listCompanies()
      .all()
      .catch((caught: unknown) => caught)) as ConnectWiseApiError;

    expect(error.code).toBe('untrusted_url');
    expect(server.requests).toHaveLength(1);
  });

  it('builds the documented conditions example and escapes quotes and backslashes inside values', () => {
    const example = cw.or(
      cw.and(cw.eq('board/name', 'Integration'), cw.eq('summary', 'xyz')),
      cw.and(cw.in('board/id', [3, 2, 4]), cw.gt('lastUpdated', new Date('2016-08-20T18:04:26Z'))),
    );

    // The same expression as the documented one: spaces around every operator, and the and-groups inside the `or`
    // in parentheses (the builder never relies on precedence).
    const [left, right] = fixtureText('cw-conditions-example.txt')
      .replace(/\s*(=|>)\s*/g, ' $1 ')
      .split(' or ');
    expect(String(example)).toBe(`(${left}) or (${right})`);
    expect(String(cw.eq('name', 'Bob "The" Builder \\ Co'))).toBe('name = "Bob \\"The\\" Builder \\\\ Co"');
    expect(String(cw.and(cw.or(cw.eq('a', 1), cw.eq('b', 2)), cw.eq('c', true)))).toBe('(a = 1 or b = 2) and c = true');
    expect(() => cw.eq('name" or 1=1', 'x')).toThrow(RangeError);
  });
});
