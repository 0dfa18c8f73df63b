import { DEMO_CUSTOMERS, DEMO_MPN_IDS } from '../../libs/microsoft-emulator/src';
import { MicrosoftAccessTokens } from '../../src/modules/consent';
import { classifyPartner, directCspTestResult } from '../../src/modules/direct-csp/domain/partner-program';
import { PartnerProgramAdapter } from '../../src/modules/partner-center/infrastructure/microsoft/partner-program.adapter';
import {
  CONTOSO,
  control,
  FABRIKAM,
  partnerSession,
  startTestEmulator,
  TAILSPIN,
  type TestEmulator,
} from '../emulator/support/emulator-test-kit';

// Our own token port, faked with the Partner Center token a signed-in s365@ account holds.
class PartnerCenterTokenOf extends MicrosoftAccessTokens {
  constructor(private readonly token: string) {
    super();
  }
  async forPartnerCenter(): Promise<string> {
    return this.token;
  }
  forPartnerGraph(): Promise<string> {
    return Promise.reject(new Error('not used'));
  }
  forGraph(): Promise<string> {
    return Promise.reject(new Error('not used'));
  }
}

// The real Partner Center adapter against the local Microsoft, as each demo partner, and what the Direct CSP
// rules make of the answers (FACTS.md §4).
describe('how Microsoft bills a partner, read from Partner Center as the partner (adapter against the emulator)', () => {
  let env: TestEmulator;
  const reader = async (upn: string) =>
    new PartnerProgramAdapter(
      { microsoft: { partnerCenterBaseUrl: env.url } },
      new PartnerCenterTokenOf((await partnerSession(env, upn)).partnerCenterToken),
      { sleep: async () => undefined },
    );

  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(() => env?.emulator.close());
  afterEach(() => control(env, 'DELETE', 'faults'));

  it('reads Contoso as direct bill, and the test with Adatum confirms Direct CSP', async () => {
    const evidence = await (await reader(`s365@${CONTOSO}`)).evidence('org', 'admin', DEMO_CUSTOMERS.adatum.id);
    expect(evidence).toMatchObject({
      customerList: { outcome: 'answered', count: 1 },
      invoices: { outcome: 'answered' },
      indirectResellers: { signal: { outcome: 'answered', count: 0 } },
      ownMpnId: DEMO_MPN_IDS.contoso,
      tenantSubscriptions: { signal: { outcome: 'answered', count: 2 }, resellerMpnIds: [DEMO_MPN_IDS.contoso] },
    });
    expect(classifyPartner(evidence).type).toBe('direct');
    expect(directCspTestResult(evidence, 'Adatum Corporation').outcome).toBe('confirmed');
  });

  it('reads Tailspin as an indirect provider supplying Fabrikam', async () => {
    const evidence = await (await reader(`s365@${TAILSPIN}`)).evidence('org', 'admin', DEMO_CUSTOMERS.wingtip.id);
    expect(evidence.indirectResellers.partners.map((partner) => partner.name)).toEqual(['Fabrikam Reseller']);
    expect(evidence.tenantSubscriptions?.resellerMpnIds).toEqual([DEMO_MPN_IDS.fabrikam]);
    expect(directCspTestResult(evidence, 'Wingtip Toys').outcome).toBe('indirect_provider');
  });

  it('reads Fabrikam as an indirect reseller: Partner Center refuses it the API but names its provider', async () => {
    const evidence = await (await reader(`s365@${FABRIKAM}`)).evidence('org', 'admin', DEMO_CUSTOMERS.wingtip.id);
    expect(evidence.customerList).toMatchObject({ outcome: 'refused', status: 403 });
    expect(evidence.invoices).toMatchObject({ outcome: 'refused', status: 403 });
    expect(evidence.indirectProviders.partners.map((partner) => partner.name)).toEqual(['Tailspin Distribution']);
    expect(directCspTestResult(evidence, 'Wingtip Toys')).toMatchObject({
      outcome: 'indirect_reseller',
      reason: expect.stringContaining('Tailspin Distribution'),
    });
  });

  it('reports a Partner Center outage on one read as that read failing, and the test fails rather than guessing', async () => {
    await control(env, 'POST', 'faults', { method: 'GET', path: '/v1/relationships', status: 503 });
    const evidence = await (await reader(`s365@${CONTOSO}`)).evidence('org', 'admin', DEMO_CUSTOMERS.adatum.id);
    expect(evidence.indirectResellers.signal).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('HTTP 503') });
    expect(evidence.invoices.outcome).toBe('answered');
    expect(directCspTestResult(evidence, 'Adatum Corporation').outcome).toBe('failed');
  });
});
