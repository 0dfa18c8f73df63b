import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS, ROLE_IDS } from '../../libs/microsoft-emulator/src';
import {
  callApi,
  control,
  CONTOSO,
  expectAadError,
  expectApiFault,
  GRAPH_DEFAULT_SCOPE,
  partnerSession,
  refresh,
  useTestEmulator,
} from '../emulator/support/emulator-test-kit';

// FACTS §7a.2: a customer-tenant (GDAP) token needs the app provisioned in that customer; Partner Center
// applicationconsents provisions it, and needs the GDAP role Application Administrator there.
const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
const customer = (key: string) => DEMO_CUSTOMERS[key].id;
const consentBody = {
  applicationId: DEMO_IDS.sync365App,
  applicationGrants: [{ enterpriseApplicationId: GRAPH_APP, scope: 'Directory.Read.All,Organization.Read.All' }],
};

describe('Conformance: the app in each customer tenant (emulator)', () => {
  const env = useTestEmulator();

  it('refuses a customer-tenant token until the app is provisioned: invalid_grant AADSTS65001, suberror consent_required', async () => {
    const { refreshToken } = await partnerSession(env, `s365@${CONTOSO}`);

    const response = await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('munson'));

    expectAadError(response, 400, 'invalid_grant', 65001);
    expect(response.body.suberror).toBe('consent_required');
    expect(response.body.error_description).toContain(`application with ID '${DEMO_IDS.sync365App}'`);
    // The same refresh token still works in a customer where the app is provisioned.
    expect((await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('adatum'))).status).toBe(200);
  });

  it('provisions the app with POST applicationconsents (201, the SDK ApplicationConsent body), lists it, and then issues the token', async () => {
    const { refreshToken, partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);

    const created = await callApi(env, `/v1/customers/${customer('munson')}/applicationconsents`, partnerCenterToken, {
      method: 'POST',
      body: consentBody,
    });

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      applicationId: DEMO_IDS.sync365App,
      displayName: 'Sync 365',
      applicationGrants: consentBody.applicationGrants,
    });
    const listed = await callApi(env, `/v1/customers/${customer('munson')}/applicationconsents`, partnerCenterToken);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ totalCount: 1, items: [created.body], attributes: { objectType: 'Collection' } });
    expect((await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('munson'))).status).toBe(200);
    // A second POST for the same app is a conflict (CIPP treats "409 (Conflict)" as already added).
    expectApiFault(
      await callApi(env, `/v1/customers/${customer('munson')}/applicationconsents`, partnerCenterToken, {
        method: 'POST',
        body: consentBody,
      }),
      409,
      409,
    );
  });

  it('refuses to provision without Application Administrator in the customer (403 ApiFault), and provisions once the role is granted', async () => {
    const { partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);
    expect(DEMO_QUIRKS.contoso.appCannotBeProvisioned).toContain('proseware');

    const refused = await callApi(env, `/v1/customers/${customer('proseware')}/applicationconsents`, partnerCenterToken, {
      method: 'POST',
      body: consentBody,
    });

    expectApiFault(refused, 403, 2032);
    expect(refused.body.description).toMatch(/Application Administrator/);
    // Global Reader alone (Proseware's relationship) is not enough; a relationship with Application Administrator is.
    const created = await control(env, 'POST', 'customers', {
      partnerTenantId: DEMO_IDS.contosoTenant,
      companyName: 'Provision Me',
      appProvisioned: false,
      gdap: { roleDefinitionIds: [ROLE_IDS.globalReader, ROLE_IDS.applicationAdministrator] },
    });
    expect(created.status).toBe(201);
    const provisioned = await callApi(env, `/v1/customers/${created.body.id}/applicationconsents`, partnerCenterToken, {
      method: 'POST',
      body: consentBody,
    });
    expect(provisioned.status).toBe(201);
  });

  it('refuses without any GDAP relationship, and for a customer the partner does not sell to', async () => {
    const { partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);

    expectApiFault(
      await callApi(env, `/v1/customers/${customer('wideworld')}/applicationconsents`, partnerCenterToken, {
        method: 'POST',
        body: consentBody,
      }),
      403,
      2032,
    );
    expectApiFault(
      await callApi(env, `/v1/customers/${customer('wingtip')}/applicationconsents`, partnerCenterToken, {
        method: 'POST',
        body: consentBody,
      }),
      403,
      20002,
    );
  });

  it('validates the body: applicationId and applicationGrants are required (400 ApiFault)', async () => {
    const { partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);
    const post = (body: unknown) =>
      callApi(env, `/v1/customers/${customer('munson')}/applicationconsents`, partnerCenterToken, { method: 'POST', body });

    expectApiFault(await post({ applicationGrants: consentBody.applicationGrants }), 400, 800002);
    expectApiFault(await post({ applicationId: DEMO_IDS.sync365App, applicationGrants: [] }), 400, 800002);
    expectApiFault(await post({ ...consentBody, applicationId: '11111111-2222-3333-4444-555555555555' }), 400, 800002);
  });

  it('DELETE applicationconsents/{applicationId} removes the app (204): tokens are refused again; deleting again is 404', async () => {
    const { refreshToken, partnerCenterToken } = await partnerSession(env, `s365@${CONTOSO}`);
    const path = `/v1/customers/${customer('adatum')}/applicationconsents/${DEMO_IDS.sync365App}`;

    const deleted = await callApi(env, path, partnerCenterToken, { method: 'DELETE' });

    expect(deleted.status).toBe(204);
    expectAadError(await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('adatum')), 400, 'invalid_grant', 65001);
    expectApiFault(await callApi(env, path, partnerCenterToken, { method: 'DELETE' }), 404, 1000);
    // Deleting needs the same role as creating.
    expectApiFault(
      await callApi(env, `/v1/customers/${customer('proseware')}/applicationconsents/${DEMO_IDS.sync365App}`, partnerCenterToken, {
        method: 'DELETE',
      }),
      403,
      2032,
    );
  });

  it('the control API says per customer whether the app is provisioned', async () => {
    const { refreshToken } = await partnerSession(env, `s365@${CONTOSO}`);

    const changed = await control(env, 'PATCH', `customers/${customer('munson')}`, { appProvisioned: true });

    expect(changed.status).toBe(200);
    expect(changed.body.applicationConsents).toEqual([expect.objectContaining({ applicationId: DEMO_IDS.sync365App })]);
    expect((await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('munson'))).status).toBe(200);
    await control(env, 'PATCH', `customers/${customer('munson')}`, { appProvisioned: false });
    expectAadError(await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('munson')), 400, 'invalid_grant', 65001);
    expect((await control(env, 'PATCH', `customers/${customer('munson')}`, { appProvisioned: 'yes' })).status).toBe(400);
  });
});
