import type { CustomerRefusalKind } from '../domain/consent.errors';

// Why Microsoft refused a stored refresh token, in words a partner admin can act on (FACTS.md §1.6, §1.10).
// Microsoft asks clients to branch on AADSTS codes, never on the description.
const REASONS: [number[], string][] = [
  [[700082], 'The connection expired: Microsoft stops accepting consent that has not been used for 90 days.'],
  [[50173, 70043], 'Microsoft revoked the consent, usually because the account’s password was reset or its sessions were revoked.'],
  [[65001], 'The consent for Sync 365 is missing or was removed in Microsoft Entra ID.'],
  [[50076, 50079, 50074, 50078], 'Microsoft requires the account to complete multi-factor authentication again.'],
  [[70008, 700084], 'The consent has expired.'],
  [[50057, 50055, 50053], 'The account is disabled, locked or its password has expired in Microsoft Entra ID.'],
  [[53003], 'Conditional Access in the partner’s directory blocked the account.'],
];

export function reconsentReason(error: string, aadstsCodes: number[]): string {
  const known = REASONS.find(([codes]) => codes.some((c) => aadstsCodes.includes(c)));
  if (known) return known[1];
  const code = aadstsCodes.length ? ` (AADSTS${aadstsCodes[0]})` : ` (${error})`;
  return `Microsoft no longer accepts the stored consent${code}.`;
}

export const RECONSENT_FIX = 'Select Re-grant and sign in again with the same Partner Center account (MFA enforced).';

// Why Microsoft would not issue a token for one customer's directory while the consent itself still works
// (FACTS.md §3.1, §7a.2, §7a.7): the cause names that customer, never the delegated admin.
export interface CustomerRefusal {
  kind: CustomerRefusalKind;
  reason: string;
  fix: string;
}

// AADSTS50020: the partner user is not known there (no active GDAP relationship); 65001 / 90099 there: the Sync 365
// app is not provisioned in that directory; 50076 / 53003 / 53000: the customer's Conditional Access targets
// service-provider users.
const CUSTOMER_REFUSALS: [number[], CustomerRefusal][] = [
  [[65001, 90099], {
    kind: 'app_not_provisioned',
    reason: 'Sync 365 is not set up in this customer yet: Microsoft refuses to let it read the customer’s directory until the Sync 365 app is added there.',
    fix: 'Give your Sync 365 service account’s security group the Application Administrator role in your GDAP relationship with this customer, then select Re-read all customers from Microsoft (Customers tab): Sync 365 adds itself to the customer through Partner Center.',
  }],
  [[50076], {
    kind: 'conditional_access',
    reason: 'This customer’s Conditional Access policy requires multi-factor authentication from your service provider accounts that Sync 365’s stored sign-in cannot satisfy, so Microsoft refused access to this customer only.',
    fix: 'Ask the customer to exclude service provider users (or your Sync 365 service account) from that policy’s sign-in frequency or MFA rule in Entra ID → Conditional Access, then select Re-read all customers from Microsoft (Customers tab).',
  }],
  [[53003], {
    kind: 'conditional_access',
    reason: 'This customer’s Conditional Access policy blocks sign-ins by your service provider accounts, so Microsoft refused access to this customer only.',
    fix: 'Ask the customer to exclude service provider users (or your Sync 365 service account) from the blocking policy in Entra ID → Conditional Access, then select Re-read all customers from Microsoft (Customers tab).',
  }],
  [[53000], {
    kind: 'conditional_access',
    reason: 'This customer’s Conditional Access policy requires a compliant or managed device, which Sync 365 (a server) cannot have, so Microsoft refused access to this customer only.',
    fix: 'Ask the customer to exclude service provider users (or your Sync 365 service account) from the device requirement in Entra ID → Conditional Access, then select Re-read all customers from Microsoft (Customers tab).',
  }],
  [[50020], {
    kind: 'no_gdap',
    reason: 'Microsoft did not issue a token for this customer’s directory: the partner has no active GDAP relationship giving the service account access.',
    fix: 'Check the GDAP relationship with this customer in Partner Center.',
  }],
];

export const CUSTOMER_ONLY_REFUSALS: number[] = CUSTOMER_REFUSALS.flatMap(([codes]) => codes);

export function customerRefusal(aadstsCodes: number[]): CustomerRefusal {
  const known = CUSTOMER_REFUSALS.find(([codes]) => codes.some((code) => aadstsCodes.includes(code)));
  const code = aadstsCodes.length ? ` (AADSTS${aadstsCodes[0]})` : '';
  if (!known) return { kind: 'no_gdap', reason: `Microsoft did not issue a token for this customer’s directory${code}.`, fix: 'Check the GDAP relationship with this customer in Partner Center.' };
  return { ...known[1], reason: known[1].reason.replace(/\.$/, `${code}.`) };
}
