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
