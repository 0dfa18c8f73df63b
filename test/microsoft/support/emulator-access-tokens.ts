import { DEMO_IDS } from '../../../libs/microsoft-emulator/src';
import { CustomerTokenRefusedError, MicrosoftAccessTokens } from '../../../src/modules/consent';
import { customerRefusal } from '../../../src/modules/consent/application/consent-failure-reasons';
import { GRAPH_DEFAULT_SCOPE, graphToken, refresh, type PartnerSession, type TestEmulator } from '../../emulator/support/emulator-test-kit';

// The consent module's port, faked: the tokens a signed-in Contoso service account holds, as the vault would hand them
// out (Partner Center; Graph for the partner's own directory and, through GDAP, a customer's).
export class EmulatorAccessTokens extends MicrosoftAccessTokens {
  private partnerGraph?: Promise<string>;

  constructor(
    private readonly env: TestEmulator,
    private readonly session: PartnerSession,
  ) {
    super();
  }

  async forPartnerCenter(): Promise<string> {
    return this.session.partnerCenterToken;
  }

  forPartnerGraph(): Promise<string> {
    return (this.partnerGraph ??= graphToken(this.env, this.session.refreshToken, DEMO_IDS.contosoTenant));
  }

  // Like the vault: Entra's refusal for one customer's directory only (AADSTS50020, no active GDAP relationship).
  async forGraph(_organizationId: string, _delegatedAdminId: string, customerTenantId: string): Promise<string> {
    const response = await refresh(this.env, this.session.refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customerTenantId);
    if (response.status === 200) return response.body.access_token;
    const codes = (response.body.error_codes as number[] | undefined) ?? [];
    // The vault's own words for it.
    if (codes.includes(50020)) throw new CustomerTokenRefusedError(codes, customerRefusal(codes));
    throw new Error(`graph token for ${customerTenantId} failed: ${JSON.stringify(response.body)}`);
  }
}
