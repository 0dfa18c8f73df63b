import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS } from '../../../../../libs/microsoft-emulator/src';
import {
  CONTOSO,
  control,
  partnerSession,
  startTestEmulator,
  type TestEmulator,
} from '../../../../../test/emulator/support/emulator-test-kit';
import { EmulatorAccessTokens } from '../../../../../test/microsoft/support/emulator-access-tokens';
import { SystemClock } from '../../../../shared/application/clock';
import { DomainError } from '../../../../shared/domain/domain-error';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { MicrosoftAccessTokens } from '../../../consent';
import {
  CustomerReadRefusedError,
  type CustomerSummary,
  type GdapAccessSnapshot,
  type SkuLicenceSnapshot,
  type TenantLicencesSnapshot,
} from '../../contracts/partner-center-directory';
import { CustomerListRefusedError } from '../../contracts/partner-center.errors';
import { PartnerCenterDirectoryAdapter, type PartnerCenterDirectoryOptions } from './partner-center-directory.adapter';

// Entra built-in role template ids (FACTS.md §3.5).
const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
const ORG = 'org-1';
const ADMIN = 'delegated-admin-1';

// The licences of a read that could list them; a test fails with the reason when Partner Center would not.
function skusOf(licences: TenantLicencesSnapshot): SkuLicenceSnapshot[] {
  if (!('skus' in licences.licences)) throw new Error(`licences unreadable: ${licences.licences.unreadable}`);
  return licences.licences.skus;
}

class StandInReconsentRequiredError extends DomainError {
  readonly code = 'CONSENT.RECONSENT_REQUIRED';
}

// Partner Center tokens as usual, but the consent fails when a customer's Graph token is asked for.
class GraphReconsentTokens extends MicrosoftAccessTokens {
  readonly error = new StandInReconsentRequiredError('The connection expired.', 'Re-grant consent.');
  constructor(private readonly working: MicrosoftAccessTokens) {
    super();
  }
  forPartnerCenter(organizationId: string, delegatedAdminId: string): Promise<string> {
    return this.working.forPartnerCenter(organizationId, delegatedAdminId);
  }
  forPartnerGraph(organizationId: string, delegatedAdminId: string): Promise<string> {
    return this.working.forPartnerGraph(organizationId, delegatedAdminId);
  }
  forGraph(): Promise<string> {
    return Promise.reject(this.error);
  }
}

class RefusingAccessTokens extends MicrosoftAccessTokens {
  readonly error = new StandInReconsentRequiredError('The connection expired.', 'Re-grant consent.');
  forPartnerCenter(): Promise<string> {
    return Promise.reject(this.error);
  }
  forPartnerGraph(): Promise<string> {
    return Promise.reject(this.error);
  }
  forGraph(): Promise<string> {
    return Promise.reject(this.error);
  }
}

const customer = (key: string) => DEMO_CUSTOMERS[key].id;

describe('PartnerCenterDirectoryAdapter against the Microsoft emulator', () => {
  let env: TestEmulator;
  let tokens: EmulatorAccessTokens;
  let retryWaits: number[];

  // Retries keep their count and order but do not wait, so a 500 storm fails fast.
  const directory = (tokenSource: MicrosoftAccessTokens = tokens, options: PartnerCenterDirectoryOptions = {}) =>
    new PartnerCenterDirectoryAdapter(
      { microsoft: { partnerCenterBaseUrl: env.url, graphBaseUrl: env.url } },
      tokenSource,
      new SystemClock(),
      {
        customerPageSize: 10,
        http: { sleep: async (ms) => void retryWaits.push(ms) },
        ...options,
      },
    );

  async function requestCount(route: string): Promise<number> {
    return ((await control(env, 'GET', 'requests')).body as Record<string, number>)[route] ?? 0;
  }

  async function injectFault(rule: Record<string, unknown>): Promise<void> {
    expect((await control(env, 'POST', 'faults', rule)).status).toBe(201);
  }

  beforeAll(async () => {
    env = await startTestEmulator();
    tokens = new EmulatorAccessTokens(env, await partnerSession(env, `s365@${CONTOSO}`));
  });

  afterAll(async () => {
    await env?.emulator.close();
  });

  beforeEach(() => {
    retryWaits = [];
  });

  // Faults are cleared without a reset, which would also forget the partner's tokens.
  afterEach(async () => {
    await control(env, 'DELETE', 'faults');
  });

  describe('customerPages', () => {
    it("streams all of Contoso's customers, one Partner Center page at a time", async () => {
      const pages: CustomerSummary[][] = [];
      for await (const page of directory().customerPages(ORG, ADMIN)) pages.push(page);

      const expected = Object.values(DEMO_CUSTOMERS).filter((demo) => demo.partnerTenantId === DEMO_IDS.contosoTenant);
      expect(expected).toHaveLength(DEMO_QUIRKS.contoso.customers);
      expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
      const customers = pages.flat();
      expect(customers.map((summary) => summary.tenantId).sort()).toEqual(expected.map((demo) => demo.id.toLowerCase()).sort());
      expect(customers.find((summary) => summary.tenantId === customer('coho'))).toEqual({
        tenantId: customer('coho'),
        companyName: 'Coho Winery',
        domain: 'cohowinery.example',
        relationship: 'reseller',
      });
    });

    it('stops after the first page when the caller stops reading', async () => {
      const before = await requestCount('GET /v1/customers');
      for await (const page of directory().customerPages(ORG, ADMIN)) {
        expect(page).toHaveLength(10);
        break;
      }
      expect((await requestCount('GET /v1/customers')) - before).toBe(1);
    });

    it('asks for the Admin Agent role when Partner Center refuses the list', async () => {
      await injectFault({ path: '/v1/customers', status: 403 });

      const read = async () => {
        for await (const _page of directory().customerPages(ORG, ADMIN)) void _page;
      };

      await expect(read()).rejects.toBeInstanceOf(CustomerListRefusedError);
      await expect(read()).rejects.toMatchObject({
        code: 'PARTNER_CENTER.CUSTOMER_LIST_REFUSED',
        fix: expect.stringMatching(/Admin Agent/),
      });
    });

    it('lets the consent error through unchanged when the delegated admin needs re-consent', async () => {
      const refusing = new RefusingAccessTokens();
      const read = async () => {
        for await (const _page of directory(refusing).customerPages(ORG, ADMIN)) void _page;
      };

      await expect(read()).rejects.toBe(refusing.error);
    });
  });

  describe('tenantLicences', () => {
    it("reads Coho Winery's over-assigned Business Premium as Partner Center states it (15 consumed, 12 enabled)", async () => {
      const licences = await directory().tenantLicences(ORG, ADMIN, customer('coho'));

      const { overAssigned } = DEMO_QUIRKS.contoso;
      const spb = skusOf(licences).find((sku) => sku.skuPartNumber === overAssigned.skuPartNumber);
      expect(spb).toMatchObject({
        activeUnits: overAssigned.prepaidEnabled,
        consumedUnits: overAssigned.consumed,
        warningUnits: 0,
        suspendedUnits: 0,
      });
      expect(spb?.skuId).toMatch(/^[0-9a-f-]{36}$/);
      expect(licences.subscriptions).toHaveLength(1);
      expect(licences.subscriptions[0]).toMatchObject({ quantity: 12, termDuration: 'P1M', status: 'active', isTrial: false });
      expect(licences.subscriptions[0].creationDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it("lists Margie's Travel's Visio Plan 2, bought elsewhere, as a SKU without a Partner Center subscription", async () => {
      const licences = await directory().tenantLicences(ORG, ADMIN, customer('margies'));

      const visio = skusOf(licences).find((sku) => sku.skuPartNumber === DEMO_QUIRKS.contoso.boughtElsewhere.skuPartNumber);
      expect(visio).toBeDefined();
      expect(visio?.activeUnits).toBeGreaterThan(0);
      expect(licences.subscriptions.some((subscription) => /visio/i.test(subscription.offerName))).toBe(false);
    });

    it("reads Margie's Travel's directory: the Visio Plan 2 bought elsewhere names no Partner Center subscription, the rest do", async () => {
      const licences = await directory().tenantLicences(ORG, ADMIN, customer('margies'));

      if (!('subscriptions' in licences.directory)) throw new Error(`directory unreadable: ${licences.directory.unreadable}`);
      const partnerCenterIds = new Set(licences.subscriptions.map((subscription) => subscription.id.toLowerCase()));
      const soldBy = (commerceId: string | null) =>
        commerceId !== null && partnerCenterIds.has(commerceId.toLowerCase()) ? 'partner' : 'elsewhere';
      const { boughtElsewhere } = DEMO_QUIRKS.contoso;
      expect(
        licences.directory.subscriptions
          .map((subscription) => [subscription.skuPartNumber, soldBy(subscription.commerceSubscriptionId)])
          .sort(),
      ).toEqual([
        ['O365_BUSINESS_PREMIUM', 'partner'],
        [boughtElsewhere.skuPartNumber, 'elsewhere'],
      ]);
      const visio = licences.directory.subscriptions.find((subscription) => subscription.skuPartNumber === boughtElsewhere.skuPartNumber);
      expect(visio).toMatchObject({ status: 'Enabled', totalLicenses: 5, isTrial: false, commerceSubscriptionId: expect.any(String) });
      expect(visio?.skuId).toBe(skusOf(licences).find((sku) => sku.skuPartNumber === boughtElsewhere.skuPartNumber)?.skuId);
      expect(visio?.nextLifecycleDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('reads the subscriptions of customers without a usable GDAP relationship, says their licences need a GDAP role, and why their directory could not be read', async () => {
      for (const key of [...DEMO_QUIRKS.contoso.gdap.absent, ...DEMO_QUIRKS.contoso.gdap.expired]) {
        const licences = await directory().tenantLicences(ORG, ADMIN, customer(key));

        // Partner Center lists licences only through a licence-reading GDAP role (FACTS.md §7a.3): unknown, not none.
        expect(licences.licences).toEqual({
          unreadable: expect.stringMatching(
            /^GDAP role missing: Partner Center refused to list this customer's licences \(403, code 2032\)/,
          ),
        });
        expect(licences.subscriptions.length).toBeGreaterThan(0);
        expect(licences.directory).toEqual({
          unreadable: expect.stringMatching(
            /^Microsoft did not issue a token for this customer’s directory: .*\(AADSTS50020\)\. Check the GDAP relationship/,
          ),
          refusedBy: 'no_gdap',
        });
      }
    });

    it("says in plain words when GDAP gives no role that may read the customer's directory (Graph 403)", async () => {
      await injectFault({ path: '/v1.0/directory/subscriptions', status: 403 });

      const licences = await directory().tenantLicences(ORG, ADMIN, customer('alpine'));

      expect(skusOf(licences).length).toBeGreaterThan(0);
      expect(licences.directory).toEqual({
        unreadable: expect.stringMatching(
          /^Your GDAP access does not allow reading the subscriptions in this customer's directory \(403, code \w+\)\. .*Global Reader/,
        ),
      });
    });

    it('gives up on a Graph 500 storm for the directory as Microsoft Graph being unavailable, so the tenant is read again later', async () => {
      await injectFault({ path: '/v1.0/directory/subscriptions', status: 500 });

      const failed = directory().tenantLicences(ORG, ADMIN, customer('alpine'));

      await expect(failed).rejects.toBeInstanceOf(MicrosoftUnavailableError);
      await expect(failed).rejects.toMatchObject({ message: expect.stringMatching(/^Microsoft Graph did not answer as expected/) });
    });

    it('lets the consent error through unchanged when the Graph token for the customer needs re-consent', async () => {
      const tokenSource = new GraphReconsentTokens(tokens);

      await expect(directory(tokenSource).tenantLicences(ORG, ADMIN, customer('alpine'))).rejects.toBe(tokenSource.error);
    });

    it('reads the directory after the two Partner Center reads, one request each, then its licences for locked-out units', async () => {
      const routes = [
        'GET /v1/customers/{customerId}/subscribedskus',
        'GET /v1/customers/{customerId}/subscriptions',
        'GET /v1.0/directory/subscriptions',
        'GET /v1.0/subscribedSkus',
      ];
      const before = await Promise.all(routes.map(requestCount));

      await directory().tenantLicences(ORG, ADMIN, customer('adatum'));

      expect((await Promise.all(routes.map(requestCount))).map((after, i) => after - before[i])).toEqual([1, 1, 1, 1]);
    });

    it('reads the subscriptions of a customer whose subscribed SKUs alone answer 403, and says its licences need a GDAP role', async () => {
      await injectFault({ path: '/v1/customers/*/subscribedskus', customerId: customer('coho'), status: 403 });

      const licences = await directory().tenantLicences(ORG, ADMIN, customer('coho'));

      expect(licences.licences).toEqual({
        unreadable: expect.stringMatching(
          /^GDAP role missing: .*\(403, code 2032\).*Directory Readers, Global Reader, User Administrator or License Administrator/,
        ),
      });
      expect(licences.subscriptions).toHaveLength(1);
      await expect(directory().tenantLicences(ORG, ADMIN, customer('adatum'))).resolves.toMatchObject({
        licences: { skus: expect.any(Array) },
      });
    });

    it('refuses, in plain words, a customer whose subscriptions answer 403 too: the account itself may not read it', async () => {
      await injectFault({ path: '/v1/customers/*/subscribedskus', customerId: customer('coho'), status: 403 });
      await injectFault({ path: '/v1/customers/*/subscriptions', customerId: customer('coho'), status: 403 });

      const refused = directory().tenantLicences(ORG, ADMIN, customer('coho'));

      await expect(refused).rejects.toBeInstanceOf(CustomerReadRefusedError);
      await expect(refused).rejects.toMatchObject({
        reason: expect.stringMatching(/^Partner Center refused to list this customer's subscriptions \(403, code 2032\)\. .*Admin Agent/),
      });
    });

    it('says there is no reseller relationship for a customer another partner sells to (403, code 20002)', async () => {
      await expect(directory().tenantLicences(ORG, ADMIN, customer('wingtip'))).rejects.toMatchObject({
        reason: expect.stringMatching(/^Partner Center says your organization has no reseller relationship with this customer/),
      });
    });

    it('gives up on a 500 storm after the client has retried, as Partner Center being unavailable', async () => {
      await injectFault({ path: '/v1/customers/*/subscriptions', status: 500 });
      const before = await requestCount('GET /v1/customers/{customerId}/subscriptions');

      const failed = directory().tenantLicences(ORG, ADMIN, customer('coho'));

      await expect(failed).rejects.toBeInstanceOf(MicrosoftUnavailableError);
      await expect(failed).rejects.toMatchObject({
        code: 'MICROSOFT.UNAVAILABLE',
        message: expect.stringMatching(/^Partner Center did not answer as expected \(HTTP 500, code \d+ after 4 attempts\)/),
      });
      expect((await requestCount('GET /v1/customers/{customerId}/subscriptions')) - before).toBe(4);
      expect(retryWaits).toHaveLength(3);
    });

    it('never guesses from a licence list cut off halfway: it asks again, and reports Partner Center unavailable if it stays cut off', async () => {
      await injectFault({ path: '/v1/customers/*/subscribedskus', customerId: customer('coho'), kind: 'malformed', count: 1 });
      const once = await directory().tenantLicences(ORG, ADMIN, customer('coho'));
      expect('skus' in once.licences && once.licences.skus.length).toBeGreaterThan(0);

      await injectFault({ path: '/v1/customers/*/subscribedskus', customerId: customer('coho'), kind: 'malformed', count: 4 });
      await expect(directory().tenantLicences(ORG, ADMIN, customer('coho'))).rejects.toMatchObject({
        code: 'MICROSOFT.UNAVAILABLE',
        message: 'Partner Center did not answer as expected (the answer was cut off or is not JSON after 4 attempts).',
      });
    });
  });

  describe('gdapAccess', () => {
    const rolesOfServiceAccount = (access: GdapAccessSnapshot): string[] => {
      const groups = new Set(access.serviceAccountGroupIds);
      return access.assignments
        .filter((assignment) => assignment.status === 'active' && groups.has(assignment.groupId))
        .flatMap((assignment) => assignment.roleIds);
    };

    it("gives the service account's group Global Reader and Application Administrator for a normal customer", async () => {
      const access = await directory().gdapAccess(ORG, ADMIN, customer('alpine'));

      expect(access.relationships).toHaveLength(1);
      expect(access.relationships[0]).toMatchObject({
        status: 'active',
        roleIds: expect.arrayContaining([GLOBAL_READER, APPLICATION_ADMINISTRATOR]),
      });
      expect(access.relationships[0].endDateTime).toMatch(/Z$/);
      expect(access.serviceAccountGroupIds).toContain(DEMO_IDS.contosoGdapGroup);
      expect(access.serviceAccountGroupIds).not.toContain(DEMO_IDS.contosoHelpdeskGroup);
      expect(rolesOfServiceAccount(access)).toEqual(expect.arrayContaining([GLOBAL_READER, APPLICATION_ADMINISTRATOR]));
      expect(access.assignments.every((assignment) => assignment.relationshipId === access.relationships[0].id)).toBe(true);
    });

    it('shows that Fourth Coffee gives Global Reader but not Application Administrator', async () => {
      const roles = rolesOfServiceAccount(await directory().gdapAccess(ORG, ADMIN, customer('fourthcoffee')));

      expect(roles).toContain(GLOBAL_READER);
      expect(roles).not.toContain(APPLICATION_ADMINISTRATOR);
    });

    it("reports Trey Research's relationship as expired, without reading its assignments", async () => {
      const access = await directory().gdapAccess(ORG, ADMIN, customer('trey'));

      expect(access.relationships.map((relationship) => relationship.status)).toEqual(['expired']);
      expect(access.assignments).toEqual([]);
    });

    it('reports no relationship at all for Wide World Importers', async () => {
      const access = await directory().gdapAccess(ORG, ADMIN, customer('wideworld'));

      expect(access.relationships).toEqual([]);
      expect(access.assignments).toEqual([]);
      expect(access.serviceAccountGroupIds).toContain(DEMO_IDS.contosoGdapGroup);
    });

    it("keeps Adatum's terminated relationship beside the active one", async () => {
      const access = await directory().gdapAccess(ORG, ADMIN, customer('adatum'));

      expect(access.relationships.map((relationship) => relationship.status).sort()).toEqual(['active', 'terminated']);
      expect(rolesOfServiceAccount(access)).toEqual(expect.arrayContaining([GLOBAL_READER, APPLICATION_ADMINISTRATOR]));
    });

    it("reads the service account's groups once for many customers", async () => {
      const adapter = directory();
      const before = await requestCount('GET /v1.0/me/transitiveMemberOf');

      const accesses = await Promise.all(
        ['alpine', 'coho', 'fourthcoffee', 'trey'].map((key) => adapter.gdapAccess(ORG, ADMIN, customer(key))),
      );

      expect((await requestCount('GET /v1.0/me/transitiveMemberOf')) - before).toBe(1);
      expect(new Set(accesses.map((access) => access.serviceAccountGroupIds.join()))).toEqual(
        new Set([accesses[0].serviceAccountGroupIds.join()]),
      );
    });

    it('explains a Graph 403 on the relationships in plain words', async () => {
      await injectFault({ path: '/v1.0/tenantRelationships/delegatedAdminRelationships', status: 403 });

      await expect(directory().gdapAccess(ORG, ADMIN, customer('alpine'))).rejects.toMatchObject({
        name: 'CustomerReadRefusedError',
        reason: expect.stringMatching(
          /^Your access does not allow reading your GDAP relationships with this customer \(403, code \w+\)\. .*re-grant consent/,
        ),
      });
    });

    it('does not keep a failed group read: the next customer reads them again', async () => {
      const adapter = directory();
      await injectFault({ path: '/v1.0/me/transitiveMemberOf', status: 403, count: 1 });

      await expect(adapter.gdapAccess(ORG, ADMIN, customer('alpine'))).rejects.toBeInstanceOf(CustomerReadRefusedError);
      await expect(adapter.gdapAccess(ORG, ADMIN, customer('alpine'))).resolves.toMatchObject({
        serviceAccountGroupIds: expect.arrayContaining([DEMO_IDS.contosoGdapGroup]),
      });
    });
  });
});
