import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS, ROLE_IDS } from '../../libs/microsoft-emulator/src';
import {
  callApi,
  claimsOf,
  CONTOSO,
  control,
  expectAadError,
  expectGraphError,
  FABRIKAM,
  fixture,
  GRAPH_DEFAULT_SCOPE,
  graphToken,
  partnerSession,
  refresh,
  TAILSPIN,
  tokensFor,
  useTestEmulator,
} from './support/emulator-test-kit';

const subscribedSkusSample = fixture('graph-subscribedSkus-list.json');
const relationshipsSample = fixture('graph-delegatedAdminRelationships-list.json');
const assignmentsSample = fixture('graph-delegatedAdminRelationship-accessAssignments-list.json');

const keys = (value: object) => Object.keys(value).sort();
const customer = (key: string) => DEMO_CUSTOMERS[key].id;

describe('Graph and GDAP', () => {
  const env = useTestEmulator();

  async function serviceAccount(user = `s365@${CONTOSO}`): Promise<string> {
    return (await partnerSession(env, user)).refreshToken;
  }

  const graph = (path: string, token: string) => callApi(env, path, token);

  describe('customer tokens (GDAP)', () => {
    it('mints a Graph token for a customer with an active relationship: tid = customer, idp = the partner', async () => {
      const refreshToken = await serviceAccount();

      const response = await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('adatum'));

      expect(response.status).toBe(200);
      const claims = claimsOf(response.body.access_token);
      expect(claims).toMatchObject({
        tid: customer('adatum'),
        iss: `https://sts.windows.net/${customer('adatum')}/`,
        aud: 'https://graph.microsoft.com',
        oid: DEMO_IDS.contosoServiceAccount,
      });
      expect(claims.idp).toBe(`https://sts.windows.net/${DEMO_IDS.contosoTenant}/`);
      expect(claims.amr).toEqual(['pwd', 'mfa']);
      // The app registration's static Graph permissions (least privileged: no Directory.Read.All).
      expect(claims.scp.split(' ')).toEqual(['User.Read', 'Organization.Read.All', 'DelegatedAdminRelationship.Read.All']);
      // The new refresh token still belongs to the partner directory.
      expect(claimsOf((await refresh(env, response.body.refresh_token, { scope: GRAPH_DEFAULT_SCOPE })).body.access_token).tid).toBe(
        DEMO_IDS.contosoTenant,
      );
    });

    it.each([
      ['trey', 'its relationship expired'],
      ['wideworld', 'there is no relationship'],
      ['wingtip', 'another partner holds the relationships'],
    ])('refuses %s (%s) with invalid_grant AADSTS50020', async (key) => {
      const response = await refresh(env, await serviceAccount(), { scope: GRAPH_DEFAULT_SCOPE }, customer(key));

      expectAadError(response, 400, 'invalid_grant', 50020);
    });

    it('refuses once the relationship is no longer active, and Graph refuses tokens minted before', async () => {
      const refreshToken = await serviceAccount();
      const token = await graphToken(env, refreshToken, customer('adatum'));
      const relationships = (
        await graph(
          `/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=customer/tenantId eq '${customer('adatum')}' and status eq 'active'`,
          await graphToken(env, refreshToken),
        )
      ).body.value;
      expect(relationships).toHaveLength(1);

      expect((await control(env, 'PATCH', `gdap-relationships/${relationships[0].id}`, { status: 'terminated' })).status).toBe(200);

      expectAadError(await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('adatum')), 400, 'invalid_grant', 50020);
      expectGraphError(await graph('/v1.0/subscribedSkus', token), 403, 'Authorization_RequestDenied');
    });

    it('accepts the customer domain instead of its id', async () => {
      const response = await refresh(env, await serviceAccount(), { scope: GRAPH_DEFAULT_SCOPE }, 'cohowinery.example');

      expect(claimsOf(response.body.access_token).tid).toBe(customer('coho'));
    });
  });

  describe('licences of a customer', () => {
    it('lists subscribedSkus in the shape of Microsoft sample', async () => {
      const token = await graphToken(env, await serviceAccount(), customer('blueyonder'));

      const response = await graph('/v1.0/subscribedSkus', token);

      expect(response.status).toBe(200);
      expect(response.body['@odata.context']).toBe(`${env.url}/v1.0/$metadata#subscribedSkus`);
      expect(keys(response.body.value[0])).toEqual(keys(subscribedSkusSample.value[0]));
      expect(keys(response.body.value[0].prepaidUnits)).toEqual(keys(subscribedSkusSample.value[0].prepaidUnits));
      expect(keys(response.body.value[0].servicePlans[0])).toEqual(keys(subscribedSkusSample.value[0].servicePlans[0]));
      expect(response.body.value.map((sku: { skuPartNumber: string }) => sku.skuPartNumber)).toEqual([
        'SPE_E5',
        'Microsoft_365_Copilot',
        'VISIOCLIENT',
      ]);
      expect(response.body.value[0]).toMatchObject({
        accountId: customer('blueyonder'),
        accountName: 'Blue Yonder Airlines',
        id: `${customer('blueyonder')}_06ebc4ee-1bb5-47dd-8120-11324bc54e06`,
        skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06',
        prepaidUnits: { enabled: 60, lockedOut: 0, suspended: 0, warning: 0 },
        consumedUnits: 58,
        capabilityStatus: 'Enabled',
      });
    });

    it('shows the suspended and over-assigned licences', async () => {
      const refreshToken = await serviceAccount();
      const cityPower = (await graph('/v1.0/subscribedSkus', await graphToken(env, refreshToken, customer('citypower')))).body.value;
      const coho = (await graph('/v1.0/subscribedSkus', await graphToken(env, refreshToken, customer('coho')))).body.value;

      expect(cityPower.find((sku: { skuPartNumber: string }) => sku.skuPartNumber === 'SPE_E3').prepaidUnits).toEqual({
        enabled: 5,
        lockedOut: 0,
        suspended: 25,
        warning: 0,
      });
      expect(cityPower.find((sku: { skuPartNumber: string }) => sku.skuPartNumber === 'SPE_E3').subscriptionIds).toHaveLength(2);
      expect(coho).toEqual([
        expect.objectContaining({
          skuPartNumber: 'SPB',
          consumedUnits: 15,
          prepaidUnits: { enabled: 12, lockedOut: 0, suspended: 0, warning: 0 },
        }),
      ]);
    });

    it('lists directory subscriptions whose commerceSubscriptionId is the Partner Center subscription id', async () => {
      const session = await partnerSession(env, `s365@${CONTOSO}`);
      const token = await graphToken(env, session.refreshToken, customer('margies'));

      const directory = (await graph('/v1.0/directory/subscriptions', token)).body.value;
      const partnerCenter = (await callApi(env, `/v1/customers/${customer('margies')}/subscriptions`, session.partnerCenterToken)).body
        .items;

      expect(keys(directory[0])).toEqual(
        [
          'commerceSubscriptionId',
          'createdDateTime',
          'id',
          'isTrial',
          'nextLifecycleDateTime',
          'ownerId',
          'ownerTenantId',
          'ownerType',
          'serviceStatus',
          'skuId',
          'skuPartNumber',
          'status',
          'totalLicenses',
        ].sort(),
      );
      expect(directory.map((subscription: { skuPartNumber: string }) => subscription.skuPartNumber)).toEqual([
        'O365_BUSINESS_PREMIUM',
        'VISIOCLIENT',
      ]);
      const pcIds = new Set(partnerCenter.map((subscription: { id: string }) => subscription.id));
      const unmatched = directory.filter(
        (subscription: { commerceSubscriptionId: string }) => !pcIds.has(subscription.commerceSubscriptionId),
      );
      expect(unmatched.map((subscription: { skuPartNumber: string }) => subscription.skuPartNumber)).toEqual([
        DEMO_QUIRKS.contoso.boughtElsewhere.skuPartNumber,
      ]);
      expect(directory[0]).toMatchObject({ status: 'Enabled', totalLicenses: 14, isTrial: false, ownerTenantId: DEMO_IDS.contosoTenant });
    });

    it('shows the trial as isTrial', async () => {
      const token = await graphToken(env, await serviceAccount(), customer('relecloud'));

      const directory = (await graph('/v1.0/directory/subscriptions', token)).body.value;

      expect(
        directory
          .filter((subscription: { isTrial: boolean }) => subscription.isTrial)
          .map((subscription: { skuPartNumber: string }) => subscription.skuPartNumber),
      ).toEqual(['Microsoft_365_Copilot']);
    });

    it('reads a customer whose relationship lacks Application Administrator (Global Reader is enough to read)', async () => {
      const token = await graphToken(env, await serviceAccount(), customer('fourthcoffee'));

      expect((await graph('/v1.0/subscribedSkus', token)).status).toBe(200);
    });

    it('refuses a user whose groups hold no reading role with 403 Authorization_RequestDenied', async () => {
      // sales@ is in "Contoso Helpdesk", which only has Helpdesk Administrator in adatum.
      const token = await graphToken(env, await serviceAccount(`sales@${CONTOSO}`), customer('adatum'));

      expectGraphError(await graph('/v1.0/subscribedSkus', token), 403, 'Authorization_RequestDenied');
      expectGraphError(await graph('/v1.0/directory/subscriptions', token), 403, 'Authorization_RequestDenied');
      expectGraphError(await graph('/v1.0/organization', token), 403, 'Authorization_RequestDenied');
    });

    it('refuses a token without a licence-reading scope', async () => {
      const tokens = await tokensFor(env, `admin@${CONTOSO}`);

      expectGraphError(await graph('/v1.0/subscribedSkus', tokens.access_token), 403, 'Authorization_RequestDenied');
    });
  });

  describe('organization', () => {
    it.each([
      [`s365@${CONTOSO}`, 'Contoso Partners', 'resellerPartnerDelegatedAdmin'],
      [`s365@${FABRIKAM}`, 'Fabrikam Reseller', 'valueAddedResellerPartnerDelegatedAdmin'],
      [`s365@${TAILSPIN}`, 'Tailspin Distribution', 'breadthPartnerDelegatedAdmin'],
    ])('tells the partner type of %s', async (user, displayName, partnerTenantType) => {
      const token = await graphToken(env, await serviceAccount(user));

      const organization = (await graph('/v1.0/organization', token)).body.value[0];

      expect(organization).toMatchObject({ displayName, partnerTenantType });
    });

    it('reads a customer organization through GDAP', async () => {
      const token = await graphToken(env, await serviceAccount(), customer('woodgrove'));

      const organization = (await graph('/v1.0/organization', token)).body.value[0];

      expect(organization).toMatchObject({
        id: customer('woodgrove'),
        displayName: 'Woodgrove Bank',
        partnerTenantType: null,
        verifiedDomains: [expect.objectContaining({ name: 'woodgrovebank.example' })],
      });
    });
  });

  describe('/me/transitiveMemberOf', () => {
    it("pages the service account's security groups with $top and an absolute nextLink", async () => {
      const token = await graphToken(env, await serviceAccount());

      const first = await graph('/v1.0/me/transitiveMemberOf?$top=1', token);
      const second = await graph(first.body['@odata.nextLink'], token);

      expect(first.body.value).toHaveLength(1);
      expect(first.body['@odata.nextLink']).toMatch(new RegExp(`^${env.url}/v1\\.0/me/transitiveMemberOf\\?.*\\$skiptoken=`));
      expect(second.body['@odata.nextLink']).toBeUndefined();
      const groups = [...first.body.value, ...second.body.value];
      expect(groups.map((group: { '@odata.type': string; displayName: string }) => [group['@odata.type'], group.displayName])).toEqual([
        ['#microsoft.graph.group', 'AdminAgents'],
        ['#microsoft.graph.group', 'Sync 365 GDAP Access'],
      ]);
      expect(groups[1].id).toBe(DEMO_IDS.contosoGdapGroup);
    });

    it('lists the Global Administrator directory role beside groups', async () => {
      const token = await graphToken(env, await serviceAccount(`admin@${CONTOSO}`));

      const members = (await graph('/v1.0/me/memberOf', token)).body.value;

      expect(members.map((member: { '@odata.type': string }) => member['@odata.type'])).toEqual([
        '#microsoft.graph.group',
        '#microsoft.graph.directoryRole',
      ]);
      expect(members[1].roleTemplateId).toBe(ROLE_IDS.globalAdministrator);
    });
  });

  describe('delegatedAdminRelationships', () => {
    const base = '/v1.0/tenantRelationships/delegatedAdminRelationships';

    async function allPages(first: string, token: string): Promise<any[]> {
      const pages = [await graph(first, token)];
      while (pages[pages.length - 1].body['@odata.nextLink'])
        pages.push(await graph(pages[pages.length - 1].body['@odata.nextLink'], token));
      return pages;
    }

    it('pages every Contoso relationship with $top and @odata.nextLink ($skiptoken)', async () => {
      const token = await graphToken(env, await serviceAccount());

      const pages = await allPages(`${base}?$top=10`, token);

      expect(pages.map((page) => page.body.value.length)).toEqual([10, 10, 5]);
      expect(pages[0].body['@odata.nextLink']).toMatch(new RegExp(`^${env.url}${base.replace(/\./g, '\\.')}\\?\\$top=10&\\$skiptoken=`));
      expect(pages[0].body['@odata.context']).toBe(`${env.url}/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships`);
      const all = pages.flatMap((page) => page.body.value);
      expect(new Set(all.map((relationship: { id: string }) => relationship.id)).size).toBe(DEMO_QUIRKS.contoso.gdap.relationships);
      expect(keys(all[0])).toEqual(keys(relationshipsSample.value[0]));
      expect(all[0]['@odata.type']).toBe('#microsoft.graph.delegatedAdminRelationship');
      expect(all[0]['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/]+=*"$/);
      expect(all[0].id).toMatch(new RegExp(`^[0-9a-f-]{36}-${DEMO_IDS.contosoTenant}$`));
    });

    it("filters status eq 'active' across pages", async () => {
      const token = await graphToken(env, await serviceAccount());

      const pages = await allPages(`${base}?$filter=${encodeURIComponent("status eq 'active'")}&$top=10`, token);

      const active = pages.flatMap((page) => page.body.value);
      expect(active).toHaveLength(DEMO_QUIRKS.contoso.gdap.active);
      expect(active.every((relationship: { status: string }) => relationship.status === 'active')).toBe(true);
      expect(pages[0].body['@odata.nextLink']).toContain('status+eq+%27active%27');
      const customers = active.map((relationship: { customer: { tenantId: string } }) => relationship.customer.tenantId);
      expect(customers).not.toContain(customer('trey'));
      expect(customers).not.toContain(customer('wideworld'));
    });

    it('answers a filter on one customer (any case, any clause order) exactly as filtering the whole list', async () => {
      const token = await graphToken(env, await serviceAccount());
      const all = (await allPages(`${base}?$top=300`, token)).flatMap((page) => page.body.value) as {
        id: string;
        status: string;
        customer: { tenantId: string };
      }[];
      for (const key of ['adatum', 'trey', 'wideworld']) {
        const id = customer(key);
        const expected = all.filter((r) => r.customer.tenantId.toLowerCase() === id.toLowerCase()).map((r) => r.id);
        const filters = [`customer/tenantId eq '${id.toUpperCase()}'`, `status eq 'active' and customer/tenantId eq '${id}'`];
        const [byCustomer, activeByCustomer] = await Promise.all(
          filters.map(
            async (filter) => (await graph(`${base}?$filter=${encodeURIComponent(filter)}`, token)).body.value as { id: string }[],
          ),
        );
        expect(byCustomer.map((r) => r.id)).toEqual(expected);
        expect(activeByCustomer.map((r) => r.id)).toEqual(
          all.filter((r) => expected.includes(r.id) && r.status === 'active').map((r) => r.id),
        );
      }
    });

    it('answers 400 for $top above 300 and for a filter it does not understand', async () => {
      const token = await graphToken(env, await serviceAccount());

      expectGraphError(await graph(`${base}?$top=301`, token), 400, 'BadRequest');
      expectGraphError(await graph(`${base}?$filter=${encodeURIComponent("startswith(displayName,'a')")}`, token), 400, 'BadRequest');
    });

    it("lists access assignments: the service account's group has Global Reader + Application Administrator", async () => {
      const token = await graphToken(env, await serviceAccount());
      const [relationship] = (
        await graph(`${base}?$filter=${encodeURIComponent(`customer/tenantId eq '${customer('adatum')}' and status eq 'active'`)}`, token)
      ).body.value;

      const response = await graph(`${base}/${relationship.id}/accessAssignments`, token);

      expect(response.body['@odata.context']).toBe(`${env.url}/v1.0/tenantRelationships/$metadata#accessAssignments`);
      expect(keys(response.body.value[0])).toEqual(keys(assignmentsSample.value[0]));
      expect(
        response.body.value.map(
          (assignment: {
            accessContainer: { accessContainerId: string };
            accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
          }) => [assignment.accessContainer.accessContainerId, assignment.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId)],
        ),
      ).toEqual([
        [DEMO_IDS.contosoGdapGroup, [ROLE_IDS.globalReader, ROLE_IDS.applicationAdministrator]],
        [DEMO_IDS.contosoHelpdeskGroup, [ROLE_IDS.helpdeskAdministrator]],
      ]);
      expectGraphError(await graph(`${base}/not-a-relationship/accessAssignments`, token), 404, 'Request_ResourceNotFound');
    });

    it('has the customers without Application Administrator, the one without a licence-reading role, the expired and the terminated relationships', async () => {
      const token = await graphToken(env, await serviceAccount());
      const relationships = (await graph(`${base}?$top=300`, token)).body.value;
      const assignmentsOf = async (id: string) => (await graph(`${base}/${id}/accessAssignments`, token)).body.value;

      const withoutAppAdmin: string[] = [];
      const withoutGlobalReader: string[] = [];
      for (const relationship of relationships.filter((candidate: { status: string }) => candidate.status === 'active')) {
        const roles = (await assignmentsOf(relationship.id))
          .filter(
            (assignment: { accessContainer: { accessContainerId: string } }) =>
              assignment.accessContainer.accessContainerId === DEMO_IDS.contosoGdapGroup,
          )
          .flatMap((assignment: { accessDetails: { unifiedRoles: { roleDefinitionId: string }[] } }) =>
            assignment.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId),
          );
        if (!roles.includes(ROLE_IDS.globalReader)) withoutGlobalReader.push(relationship.customer.tenantId);
        if (!roles.includes(ROLE_IDS.applicationAdministrator)) withoutAppAdmin.push(relationship.customer.tenantId);
      }

      expect(withoutAppAdmin.sort()).toEqual(DEMO_QUIRKS.contoso.gdap.withoutApplicationAdministrator.map(customer).sort());
      // Only Southridge's relationship grants no role that may read licences (Application Administrator alone).
      expect(withoutGlobalReader).toEqual(DEMO_QUIRKS.contoso.gdap.withoutLicenceReadingRole.map(customer));
      const byStatus = (status: string) =>
        relationships
          .filter((relationship: { status: string }) => relationship.status === status)
          .map((relationship: { customer: { tenantId: string } }) => relationship.customer.tenantId);
      expect(byStatus('expired')).toEqual(DEMO_QUIRKS.contoso.gdap.expired.map(customer));
      expect(byStatus('terminated')).toEqual(DEMO_QUIRKS.contoso.gdap.terminatedHistory.map(customer));
    });

    it("shows a reseller's relationships typed resellerDelegatedAdminRelationship, like Microsoft sample", async () => {
      const token = await graphToken(env, await serviceAccount(`s365@${FABRIKAM}`));

      const relationships = (await graph(base, token)).body.value;

      expect(relationships).toHaveLength(DEMO_QUIRKS.fabrikam.resellerRelationships);
      expect(keys(relationships[0])).toEqual(keys(relationshipsSample.value[2]));
      expect(relationships[0]).toMatchObject({
        '@odata.type': '#microsoft.graph.resellerDelegatedAdminRelationship',
        indirectProviderTenantId: DEMO_IDS.tailspinTenant,
      });
      const pending = relationships.filter((relationship: { status: string }) => relationship.status === 'approvalPending');
      expect(pending).toEqual([
        expect.objectContaining({
          isPartnerConsentPending: true,
          activatedDateTime: null,
          endDateTime: null,
          customer: { tenantId: customer('liberty'), displayName: "Liberty's Delightful Sinful Bakery & Cafe" },
        }),
      ]);
    });

    it('answers an empty list to a user outside Admin Agents, and 403 without the GDAP scope', async () => {
      const sales = await graphToken(env, await serviceAccount(`sales@${CONTOSO}`));
      const signInOnly = (await tokensFor(env, `admin@${CONTOSO}`)).access_token;

      expect((await graph(base, sales)).body.value).toEqual([]);
      expectGraphError(await graph(base, signInOnly), 403, 'Authorization_RequestDenied');
    });

    it('lists delegatedAdminCustomers: customers with an active relationship', async () => {
      const token = await graphToken(env, await serviceAccount());

      const customers = (await graph('/v1.0/tenantRelationships/delegatedAdminCustomers?$top=300', token)).body.value;

      expect(customers).toHaveLength(DEMO_QUIRKS.contoso.gdap.active);
      expect(customers[0]).toEqual({ id: customers[0].tenantId, tenantId: expect.any(String), displayName: expect.any(String) });
    });
  });
});
