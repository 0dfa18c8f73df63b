import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS } from '../../../../../libs/microsoft-emulator/src';
import {
  CONTOSO,
  control,
  partnerSession,
  startTestEmulator,
  type PartnerSession,
  type TestEmulator,
} from '../../../../../test/emulator/support/emulator-test-kit';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { MicrosoftAccessTokens } from '../../../consent';
import { CustomerAppProvisioningAdapter, CUSTOMER_GRAPH_PERMISSIONS } from './customer-app-provisioning.adapter';

// Our own port, faked: the Partner Center token a signed-in s365@contoso-partners.example holds.
class SessionTokens extends MicrosoftAccessTokens {
  constructor(private readonly session: PartnerSession) {
    super();
  }
  forPartnerCenter(): Promise<string> {
    return Promise.resolve(this.session.partnerCenterToken);
  }
  forPartnerGraph(): Promise<string> {
    return Promise.reject(new Error('not used'));
  }
  forGraph(): Promise<string> {
    return Promise.reject(new Error('not used'));
  }
}

const customer = (key: string) => DEMO_CUSTOMERS[key].id;

// Partner Center applicationconsents through the real client and adapter (FACTS.md §7a.2).
describe('CustomerAppProvisioningAdapter against the Microsoft emulator', () => {
  let env: TestEmulator;
  let adapter: CustomerAppProvisioningAdapter;

  beforeAll(async () => {
    env = await startTestEmulator();
    const tokens = new SessionTokens(await partnerSession(env, `s365@${CONTOSO}`));
    adapter = new CustomerAppProvisioningAdapter({ microsoft: { partnerCenterBaseUrl: env.url, clientId: DEMO_IDS.sync365App } }, tokens, {
      sleep: async () => undefined,
    });
  });

  afterAll(async () => {
    await env?.emulator.close();
  });

  afterEach(async () => {
    await control(env, 'DELETE', 'faults');
  });

  it('provisions the app with its Graph grant, then finds it already present (409)', async () => {
    const [key] = DEMO_QUIRKS.contoso.appProvisionedByImport;

    expect(await adapter.provision('org-1', 'admin-1', customer(key))).toEqual({ outcome: 'provisioned' });

    const { body } = await control(env, 'GET', `customers/${customer(key)}`);
    expect(body.applicationConsents).toEqual([
      expect.objectContaining({
        applicationId: DEMO_IDS.sync365App,
        displayName: 'Sync 365',
        applicationGrants: [{ enterpriseApplicationId: '00000003-0000-0000-c000-000000000000', scope: CUSTOMER_GRAPH_PERMISSIONS }],
      }),
    ]);
    expect(await adapter.provision('org-1', 'admin-1', customer(key))).toEqual({ outcome: 'already_present' });
  });

  it('says why Partner Center refused, with the fix, where the service account lacks Application Administrator', async () => {
    const [key] = DEMO_QUIRKS.contoso.appCannotBeProvisioned;

    const result = await adapter.provision('org-1', 'admin-1', customer(key));

    expect(result).toEqual({
      outcome: 'refused',
      reason: expect.stringMatching(
        /^Sync 365 is not set up in this customer yet: .*Application Administrator.*\(403, code 2032\)\. Give that security group/,
      ),
    });
  });

  it('turns Partner Center being unavailable into MicrosoftUnavailableError (try later), not a refusal', async () => {
    expect(
      (await control(env, 'POST', 'faults', { method: 'POST', path: '/v1/customers/*/applicationconsents', status: 503 })).status,
    ).toBe(201);

    await expect(adapter.provision('org-1', 'admin-1', customer('proseware'))).rejects.toBeInstanceOf(MicrosoftUnavailableError);
  });
});
