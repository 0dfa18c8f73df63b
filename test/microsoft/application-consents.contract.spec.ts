import { MicrosoftApiError, PartnerCenterClient } from '../../libs/microsoft/src';
import { GUID, recordingSleep, ScriptedHttpsServer } from './support/scripted-https-server';

const CUSTOMER = '0c39d6d5-c70d-4c55-bc02-f620844f3fd1';
const APP = '05140dd9-f1b6-4b32-ad59-2aa03e38dac4';
const CONSENT = {
  applicationId: APP,
  displayName: 'Sync 365',
  applicationGrants: [
    { enterpriseApplicationId: '00000003-0000-0000-c000-000000000000', scope: 'Directory.Read.All,Organization.Read.All' },
  ],
};

// Partner Center applicationconsents (control-panel-vendor-apis.md; the SDK's ApplicationConsent shape) through the
// real client, against a server that answers as the docs and CIPP describe.
describe('PartnerCenterClient applicationconsents', () => {
  let server: ScriptedHttpsServer;
  let client: PartnerCenterClient;

  beforeAll(async () => {
    server = await ScriptedHttpsServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    client = new PartnerCenterClient({
      baseUrl: server.url,
      sleep: recordingSleep().sleep,
      random: () => 0.5,
      applicationName: 'Sync 365',
    });
  });

  it('POSTs the consent as JSON with an MS-RequestId, and reads the 201 body', async () => {
    server.script(`POST /v1/customers/${CUSTOMER}/applicationconsents`, { status: 201, json: CONSENT });

    const created = await client.createApplicationConsent('pc-token', CUSTOMER, CONSENT);

    expect(created).toEqual(CONSENT);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(JSON.parse(request.body)).toEqual(CONSENT);
    expect(request.headers).toMatchObject({
      authorization: 'Bearer pc-token',
      'content-type': expect.stringMatching(/^application\/json/),
      'ms-requestid': expect.stringMatching(GUID),
    });
  });

  it('surfaces 409 Conflict (already consented) and a 403 ApiFault as MicrosoftApiError with status and code', async () => {
    server.script(
      `POST /v1/customers/${CUSTOMER}/applicationconsents`,
      { status: 409, json: { code: 409, description: 'exists', data: [], source: 'PartnerFD' } },
      { status: 403, json: { code: 2032, description: 'Access denied.', data: [], source: 'PartnerFD' } },
    );

    const conflict = await client.createApplicationConsent('pc-token', CUSTOMER, CONSENT).catch((error: unknown) => error);
    const denied = await client.createApplicationConsent('pc-token', CUSTOMER, CONSENT).catch((error: unknown) => error);

    expect(conflict).toBeInstanceOf(MicrosoftApiError);
    expect(conflict).toMatchObject({ status: 409 });
    expect(denied).toMatchObject({ status: 403, code: '2032' });
    // Neither is sent again: a refusal is an answer.
    expect(server.requests).toHaveLength(2);
  });

  it('lists consents as a Partner Center collection and deletes one by application id (204)', async () => {
    server.script(`GET /v1/customers/${CUSTOMER}/applicationconsents`, {
      json: { totalCount: 1, items: [CONSENT], attributes: { objectType: 'Collection' } },
    });
    server.script(`DELETE /v1/customers/${CUSTOMER}/applicationconsents/${APP}`, { status: 204, body: '' });

    expect(await client.listApplicationConsents('pc-token', CUSTOMER).all()).toEqual([CONSENT]);
    await client.deleteApplicationConsent('pc-token', CUSTOMER, APP);

    expect(server.requests.map((request) => `${request.method} ${request.pathAndQuery}`)).toEqual([
      `GET /v1/customers/${CUSTOMER}/applicationconsents`,
      `DELETE /v1/customers/${CUSTOMER}/applicationconsents/${APP}`,
    ]);
  });
});
