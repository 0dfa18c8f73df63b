// Every refusal of Microsoft's sign-in service a person can meet in Sync 365, by its code, with its cause and fix
// for each place it can show up (FACTS.md §1.6, §3.1, §7a). Microsoft asks clients to branch on AADSTS codes and
// OAuth `error` values, never on the description's wording. Sign-in, consent, the token vault and the licence
// portal all read this one table; a place that has no words for a code falls back to its own general sentence.

// Where the refusal showed up:
// - sign-in: a partner's staff signing in to the dashboard;
// - portal-sign-in: a customer's person signing in to the licence portal;
// - consent: Grant Partner Center Consent (and the administrator approval);
// - stored-consent: Microsoft refusing the stored refresh token of a connected Partner Center account;
// - customer-directory: Microsoft refusing that token for one customer's directory only (GDAP).
export type RefusalPlace = 'sign-in' | 'portal-sign-in' | 'consent' | 'stored-consent' | 'customer-directory';

export interface MicrosoftRefusal {
  // Stable name of the cause, for code that acts on it (e.g. 'app-not-provisioned').
  cause: RefusalCause;
  reason: string;
  fix: string;
}

export type RefusalCause =
  | 'declined'
  | 'admin-approval-required'
  | 'permissions-refused'
  | 'not-assigned'
  | 'conditional-access-block'
  | 'conditional-access-mfa'
  | 'conditional-access-device'
  | 'app-unknown'
  | 'client-secret-refused'
  | 'client-secret-expired'
  | 'already-used'
  | 'expired'
  | 'redirect-uri-unknown'
  | 'inactive-90-days'
  | 'revoked'
  | 'consent-missing'
  | 'mfa-again'
  | 'account-disabled'
  | 'app-not-provisioned'
  | 'no-gdap';

interface Row {
  cause: RefusalCause;
  codes: number[];
  // OAuth `error` values that mean the same when no AADSTS code came with them.
  errors?: string[];
  says: Partial<Record<RefusalPlace, [reason: string, fix: string]>>;
}

// What every refusal of a stored consent comes down to: the partner connects the account again.
export const RECONSENT_FIX = 'Select Re-grant and sign in again with the same Partner Center account (MFA enforced).';

const ADMIN_APPROVAL_SIGN_IN: [string, string] = [
  'Your organization lets only administrators approve new apps, and Sync 365 has not been approved yet.',
  'Ask a global administrator of your Microsoft 365 tenant to sign in to Sync 365 once and approve it for the organization.',
];
const CUSTOMER_CONDITIONAL_ACCESS_FIX = (what: string) =>
  `Ask the customer to exclude service provider users (or your Sync 365 service account) from ${what} in Entra ID → Conditional Access, then select Re-read all customers from Microsoft (Customers tab).`;

const TABLE: Row[] = [
  {
    cause: 'declined',
    codes: [65004],
    errors: ['access_denied'],
    says: {
      'sign-in': [
        'You declined the permissions Sync 365 asked for, so you were not signed in.',
        'Sign in again and choose Accept on Microsoft’s permissions page.',
      ],
      'portal-sign-in': [
        'You declined the permissions the licence portal asked for, so you were not signed in.',
        'Sign in again and choose Accept on Microsoft’s permissions page.',
      ],
      consent: [
        'Consent was cancelled on Microsoft’s page, so Sync 365 is not connected. Nothing was saved.',
        'Select Grant Partner Center Consent and choose Accept on Microsoft’s permissions page.',
      ],
    },
  },
  {
    cause: 'admin-approval-required',
    codes: [90094, 90095],
    errors: ['consent_required'],
    says: {
      'sign-in': ADMIN_APPROVAL_SIGN_IN,
      'portal-sign-in': [
        'Your organization lets only administrators approve new apps, and Sync 365 has not been approved yet.',
        'Ask a global administrator of your Microsoft 365 organization to approve Sync 365.',
      ],
      consent: [
        'Your partner directory lets only administrators approve new apps, and Sync 365 has not been approved yet. Nothing was saved.',
        'Send the approval link below to a global administrator of your partner directory. Once they accept, grant consent again.',
      ],
    },
  },
  {
    // Scopes Microsoft does not accept together (AADSTS70011, 28000, FACTS.md §7a.1) or a resource missing from the
    // app registration's API permissions (AADSTS650057): the fix is in the registration.
    cause: 'permissions-refused',
    codes: [70011, 28000, 650057],
    errors: ['invalid_scope', 'invalid_resource'],
    says: {
      consent: [
        'Microsoft refused the permissions Sync 365 asked for, so nothing was saved.',
        'The person who set up Sync 365 must check its app registration in Microsoft Entra ID: under API permissions it needs Partner Center user_impersonation and the Microsoft Graph permissions User.Read, Organization.Read.All and DelegatedAdminRelationship.Read.All (delegated). Then grant consent again.',
      ],
    },
  },
  {
    cause: 'not-assigned',
    codes: [50105],
    says: {
      'sign-in': [
        'Your account is not assigned to Sync 365 in your organization.',
        'Ask your Microsoft 365 administrator to assign you to the Sync 365 enterprise application.',
      ],
    },
  },
  {
    cause: 'conditional-access-block',
    codes: [53003],
    says: {
      'sign-in': [
        'Your organization’s Conditional Access policies blocked this sign-in.',
        'Ask your Microsoft 365 administrator to review the Conditional Access sign-in log for Sync 365.',
      ],
      'stored-consent': ['Conditional Access in the partner’s directory blocked the account.', RECONSENT_FIX],
      'customer-directory': [
        'This customer’s Conditional Access policy blocks sign-ins by your service provider accounts, so Microsoft refused access to this customer only.',
        CUSTOMER_CONDITIONAL_ACCESS_FIX('the blocking policy'),
      ],
    },
  },
  {
    cause: 'conditional-access-mfa',
    codes: [50076, 50079, 50074, 50078],
    says: {
      'stored-consent': ['Microsoft requires the account to complete multi-factor authentication again.', RECONSENT_FIX],
      'customer-directory': [
        'This customer’s Conditional Access policy requires multi-factor authentication from your service provider accounts that Sync 365’s stored sign-in cannot satisfy, so Microsoft refused access to this customer only.',
        CUSTOMER_CONDITIONAL_ACCESS_FIX('that policy’s sign-in frequency or MFA rule'),
      ],
    },
  },
  {
    cause: 'conditional-access-device',
    codes: [53000],
    says: {
      'customer-directory': [
        'This customer’s Conditional Access policy requires a compliant or managed device, which Sync 365 (a server) cannot have, so Microsoft refused access to this customer only.',
        CUSTOMER_CONDITIONAL_ACCESS_FIX('the device requirement'),
      ],
    },
  },
  {
    cause: 'app-unknown',
    codes: [700016],
    says: {
      'sign-in': [
        'Sync 365 is not registered in Microsoft Entra ID with the configured application ID.',
        'An administrator must check MS_CLIENT_ID.',
      ],
    },
  },
  {
    cause: 'client-secret-refused',
    codes: [7000215],
    says: {
      'sign-in': [
        'Microsoft refused Sync 365’s client secret.',
        'An administrator must set MS_CLIENT_SECRET to the secret’s value (not its ID) from the app registration.',
      ],
    },
  },
  {
    cause: 'client-secret-expired',
    codes: [7000222],
    says: {
      'sign-in': [
        'Sync 365’s client secret has expired.',
        'An administrator must create a new client secret in the app registration and set MS_CLIENT_SECRET.',
      ],
    },
  },
  {
    cause: 'already-used',
    codes: [54005],
    says: { 'sign-in': ['This sign-in was already completed once.', 'Start again from the sign-in page.'] },
  },
  {
    cause: 'expired',
    codes: [70008, 700084],
    says: {
      'sign-in': ['The sign-in took too long and expired.', 'Start again from the sign-in page.'],
      'stored-consent': ['The consent has expired.', RECONSENT_FIX],
    },
  },
  {
    cause: 'redirect-uri-unknown',
    codes: [50011],
    says: {
      'sign-in': [
        'Sync 365’s sign-in address is not registered with Microsoft.',
        'An administrator must add APP_BASE_URL/auth/callback as a redirect URI of the app registration.',
      ],
    },
  },
  {
    cause: 'inactive-90-days',
    codes: [700082],
    says: {
      'stored-consent': ['The connection expired: Microsoft stops accepting consent that has not been used for 90 days.', RECONSENT_FIX],
    },
  },
  {
    cause: 'revoked',
    codes: [50173, 70043],
    says: {
      'stored-consent': [
        'Microsoft revoked the consent, usually because the account’s password was reset or its sessions were revoked.',
        RECONSENT_FIX,
      ],
    },
  },
  {
    // 65001 in the partner's own directory: the consent itself is gone; in a customer's (and 90099 there): the Sync
    // 365 app is not provisioned in that customer (FACTS.md §7a.2).
    cause: 'consent-missing',
    codes: [65001],
    says: { 'stored-consent': ['The consent for Sync 365 is missing or was removed in Microsoft Entra ID.', RECONSENT_FIX] },
  },
  {
    cause: 'app-not-provisioned',
    codes: [65001, 90099],
    says: {
      'customer-directory': [
        'Sync 365 is not set up in this customer yet: Microsoft refuses to let it read the customer’s directory until the Sync 365 app is added there.',
        'Give your Sync 365 service account’s security group the Application Administrator role in your GDAP relationship with this customer, then select Re-read all customers from Microsoft (Customers tab): Sync 365 adds itself to the customer through Partner Center.',
      ],
    },
  },
  {
    cause: 'account-disabled',
    codes: [50057, 50055, 50053],
    says: { 'stored-consent': ['The account is disabled, locked or its password has expired in Microsoft Entra ID.', RECONSENT_FIX] },
  },
  {
    // AADSTS50020: the partner user is not known in the customer's directory (no active GDAP relationship).
    cause: 'no-gdap',
    codes: [50020],
    says: {
      'customer-directory': [
        'Microsoft did not issue a token for this customer’s directory: the partner has no active GDAP relationship giving the service account access.',
        'Check the GDAP relationship with this customer in Partner Center.',
      ],
    },
  },
];

// The AADSTS codes of a description ("AADSTS65004: …") or of a token error's error_codes.
export function aadstsCodesIn(description: string | undefined): number[] {
  return [...(description ?? '').matchAll(/AADSTS(\d+)/g)].map((match) => Number(match[1]));
}

// What Sync 365 says about a refusal in this place: by AADSTS code first, then by the OAuth error; undefined when
// the table has no words for it there.
export function microsoftRefusal(place: RefusalPlace, refusal: { codes?: number[]; error?: string }): MicrosoftRefusal | undefined {
  const codes = refusal.codes ?? [];
  const here = TABLE.filter((row) => row.says[place]);
  const row =
    here.find((candidate) => candidate.codes.some((code) => codes.includes(code))) ??
    here.find((candidate) => refusal.error !== undefined && candidate.errors?.includes(refusal.error));
  if (!row) return undefined;
  const [reason, fix] = row.says[place]!;
  return { cause: row.cause, reason, fix };
}

// Every code the table knows for a place (e.g. the refusals that concern one customer's directory only).
export function refusalCodes(place: RefusalPlace): number[] {
  return TABLE.filter((row) => row.says[place]).flatMap((row) => row.codes);
}
