import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS, SKU_CATALOG } from '../../libs/microsoft-emulator/src';
import { DelegatedAdminQueries, type DelegatedAdminSummary } from '../../src/modules/consent';
import { PartnerCenterDirectoryAdapter } from '../../src/modules/partner-center/infrastructure/microsoft/partner-center-directory.adapter';
import type { DirectorySubscriptionsRead } from '../../src/modules/partner-center';
import { SystemClock } from '../../src/shared/application/clock';
import {
  callApi,
  CONTOSO,
  fixture,
  graphToken,
  partnerSession,
  startTestEmulator,
  type PartnerSession,
  type TestEmulator,
} from '../emulator/support/emulator-test-kit';
import { EmulatorAccessTokens } from './support/emulator-access-tokens';

// FACTS.md §7a.6 (Graph companySubscription, licenseUnitsDetail): a directory subscription's status is one of Enabled,
// Deleted, Suspended, Warning, LockedOut (no "Expired"); ownerTenantId is the partner tenant that sold it (the truth for
// "sold by you"; commerceSubscriptionId only links it to a Partner Center subscription); subscribedSkus prepaidUnits has
// lockedOut.
const DOCUMENTED_STATUSES = ['Enabled', 'Deleted', 'Suspended', 'Warning', 'LockedOut'];
const id = (key: string) => DEMO_CUSTOMERS[key].id;
const VISIO = SKU_CATALOG.visioPlan2.skuId;

class ContosoAdmins extends DelegatedAdminQueries {
  list(): Promise<DelegatedAdminSummary[]> {
    return Promise.resolve([]);
  }
  find(): Promise<DelegatedAdminSummary | null> {
    return Promise.resolve({
      id: 'admin',
      accountUpn: `s365@${CONTOSO}`,
      partnerTenantId: DEMO_IDS.contosoTenant,
      partnerDirectoryName: null,
      status: 'active',
      partnerType: null,
      partnerTypeDetail: null,
      partnerTypeDetectedAt: null,
      directCsp: null,
    });
  }
}

describe('rule: directory subscriptions as Graph documents them (status, ownerTenantId, lockedOut)', () => {
  let env: TestEmulator;
  let s365: PartnerSession;

  beforeAll(async () => {
    env = await startTestEmulator();
    s365 = await partnerSession(env, `s365@${CONTOSO}`);
  });
  afterAll(async () => {
    await env?.emulator.close();
  });

  const customerGraph = (key: string) => graphToken(env, s365.refreshToken, id(key));

  describe('the local Microsoft answers like Microsoft', () => {
    it("uses only the documented statuses, with the sample's keys, across every customer it lets the account read", async () => {
      const statuses = new Set<string>();
      for (const key of Object.keys(DEMO_CUSTOMERS).filter((k) => DEMO_CUSTOMERS[k].partnerTenantId === DEMO_IDS.contosoTenant)) {
        // Directories Sync 365 cannot read: no directory-reading role, the app not provisioned, or Conditional Access.
        const { appNotProvisioned, conditionalAccessBlocked } = DEMO_QUIRKS.contoso;
        if (['wideworld', 'trey', 'southridge', ...appNotProvisioned, ...conditionalAccessBlocked].includes(key)) continue;
        const response = await callApi(env, '/v1.0/directory/subscriptions', await customerGraph(key));
        expect(response.status).toBe(200);
        for (const subscription of response.body.value) {
          statuses.add(subscription.status);
          expect(Object.keys(subscription)).toEqual(
            expect.arrayContaining(['commerceSubscriptionId', 'ownerTenantId', 'status', 'totalLicenses', 'skuId', 'skuPartNumber']),
          );
        }
      }
      expect([...statuses].every((status) => DOCUMENTED_STATUSES.includes(status))).toBe(true);
      expect(statuses).toEqual(new Set(['Enabled', 'Suspended', 'Warning', 'LockedOut']));
    });

    it("names the partner that sold each subscription in ownerTenantId: Contoso for its own, another partner's tenant, or null for Microsoft direct", async () => {
      const firstUp = (await callApi(env, '/v1.0/directory/subscriptions', await customerGraph('firstup'))).body.value as Record<
        string,
        unknown
      >[];
      const margies = (await callApi(env, '/v1.0/directory/subscriptions', await customerGraph('margies'))).body.value as Record<
        string,
        unknown
      >[];

      const owners = (list: Record<string, unknown>[]) => list.map((s) => [s.skuPartNumber, s.status, s.ownerTenantId]).sort();
      expect(owners(firstUp)).toEqual(
        [
          ['O365_BUSINESS_PREMIUM', 'Enabled', DEMO_IDS.contosoTenant],
          ['POWER_BI_PRO', 'Enabled', DEMO_IDS.contosoTenant],
          [DEMO_QUIRKS.contoso.lockedOut.skuPartNumber, 'LockedOut', expect.stringMatching(/^[0-9a-f-]{36}$/)],
        ].sort(),
      );
      expect(firstUp.find((s) => s.status === 'LockedOut')?.ownerTenantId).not.toBe(DEMO_IDS.contosoTenant);
      expect(margies.find((s) => s.skuPartNumber === 'VISIOCLIENT')?.ownerTenantId).toBeNull();
    });

    it("reports locked-out units in subscribedSkus prepaidUnits, with the keys of Microsoft's sample", async () => {
      const skus = (await callApi(env, '/v1.0/subscribedSkus', await customerGraph('firstup'))).body.value as Record<string, any>[];
      const sample = fixture('graph-subscribedSkus-list.json').value[0];

      const visio = skus.find((s) => s.skuPartNumber === DEMO_QUIRKS.contoso.lockedOut.skuPartNumber)!;
      expect(Object.keys(visio.prepaidUnits).sort()).toEqual(Object.keys(sample.prepaidUnits).sort());
      expect(visio.prepaidUnits).toEqual({ enabled: 0, lockedOut: DEMO_QUIRKS.contoso.lockedOut.lockedOutUnits, suspended: 0, warning: 0 });
      expect(visio.capabilityStatus).toBe('LockedOut');
    });

    it('never answers "Expired": an expired Partner Center subscription is in its Warning grace period', async () => {
      const lucerne = (await callApi(env, '/v1.0/directory/subscriptions', await customerGraph(DEMO_QUIRKS.contoso.warning.customer))).body
        .value as Record<string, unknown>[];

      expect(lucerne.map((s) => s.status)).toContain('Warning');
      expect(lucerne.map((s) => s.status)).not.toContain('Expired');
    });
  });

  describe('Sync 365 against it (the real adapter)', () => {
    const adapter = (delegatedAdmins?: DelegatedAdminQueries) =>
      new PartnerCenterDirectoryAdapter(
        { microsoft: { partnerCenterBaseUrl: env.url, graphBaseUrl: env.url } },
        new EmulatorAccessTokens(env, s365),
        new SystemClock(),
        {
          http: { sleep: async () => undefined },
          delegatedAdmins,
        },
      );
    const directoryOf = async (read: DirectorySubscriptionsRead) => {
      if (!('subscriptions' in read)) throw new Error(`unreadable: ${read.unreadable}`);
      return read;
    };

    it('decides who sold each subscription from ownerTenantId, and reads the locked-out units', async () => {
      const directory = await directoryOf((await adapter(new ContosoAdmins()).tenantLicences('org', 'admin', id('firstup'))).directory);

      expect(directory.subscriptions.map((s) => [s.skuPartNumber, s.status, s.soldByYou]).sort()).toEqual(
        [
          ['O365_BUSINESS_PREMIUM', 'Enabled', true],
          ['POWER_BI_PRO', 'Enabled', true],
          ['VISIOCLIENT', 'LockedOut', false],
        ].sort(),
      );
      expect(directory.skuUnits?.find((u) => u.skuId === VISIO)).toEqual({ skuId: VISIO, lockedOut: 2 });
    });

    it("leaves who sold it unknown when it does not know the partner's own tenant (the Partner Center match decides then)", async () => {
      const directory = await directoryOf((await adapter().tenantLicences('org', 'admin', id('firstup'))).directory);

      expect(directory.subscriptions.every((s) => s.soldByYou === null)).toBe(true);
    });
  });
});
