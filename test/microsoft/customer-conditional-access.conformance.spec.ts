import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS } from '../../libs/microsoft-emulator/src';
import {
  claimsOf,
  control,
  CONTOSO,
  expectAadError,
  GRAPH_DEFAULT_SCOPE,
  partnerSession,
  refresh,
  useTestEmulator,
} from '../emulator/support/emulator-test-kit';

// FACTS §7a.7: a customer's Conditional Access can target service-provider (GDAP) users; Entra then refuses that
// customer's tokens (AADSTS50076 / 53003 / 53000) while the partner's own and other customers' tokens still work.
const customer = (key: string) => DEMO_CUSTOMERS[key].id;

describe('Conformance: one customer’s Conditional Access (emulator)', () => {
  const env = useTestEmulator();

  it('refuses the demo customer whose policy blocks service-provider users: invalid_grant AADSTS53003, suberror message_only', async () => {
    const { refreshToken } = await partnerSession(env, `s365@${CONTOSO}`);
    const [key] = DEMO_QUIRKS.contoso.conditionalAccessBlocked;

    const response = await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer(key));

    expectAadError(response, 400, 'invalid_grant', 53003);
    expect(response.body.suberror).toBe('message_only');
    expect(response.body.error_description).toMatch(/^AADSTS53003: Access has been blocked by Conditional Access policies/);
    // Only that customer: the partner's own directory and another customer still issue tokens.
    const partner = await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE });
    expect(claimsOf(partner.body.access_token).tid).toBe(DEMO_IDS.contosoTenant);
    expect((await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('adatum'))).status).toBe(200);
  });

  it.each([
    ['mfa', 50076, 'basic_action', /must use multi-factor authentication to access 'https:\/\/graph\.microsoft\.com'/],
    ['compliantDevice', 53000, undefined, /Device is not in required device state/],
  ])('a policy %s answers invalid_grant AADSTS%i as Entra does', async (policy, code, suberror, description) => {
    const { refreshToken } = await partnerSession(env, `s365@${CONTOSO}`);
    expect((await control(env, 'PATCH', `customers/${customer('alpine')}`, { conditionalAccess: policy })).status).toBe(200);

    const response = await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('alpine'));

    expectAadError(response, 400, 'invalid_grant', code);
    expect(response.body.suberror).toBe(suberror);
    expect(response.body.error_description).toMatch(description);
  });

  it('lifts the refusal when the policy is removed (control API: null)', async () => {
    const { refreshToken } = await partnerSession(env, `s365@${CONTOSO}`);
    await control(env, 'PATCH', `customers/${customer('vanarsdel')}`, { conditionalAccess: null });

    expect((await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, customer('vanarsdel'))).status).toBe(200);
    expect((await control(env, 'PATCH', `customers/${customer('vanarsdel')}`, { conditionalAccess: 'sometimes' })).status).toBe(400);
  });
});
