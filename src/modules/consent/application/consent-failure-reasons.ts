import { microsoftRefusal, refusalCodes, type RefusalCause } from '../../../shared/application/microsoft-refusals';
import type { CustomerRefusalKind } from '../domain/consent.errors';

// Why Microsoft refused a stored refresh token, in words a partner admin can act on: from the one table of Microsoft's
// refusals (FACTS.md §1.6, §1.10), by AADSTS code.
export function reconsentReason(error: string, aadstsCodes: number[]): string {
  const known = microsoftRefusal('stored-consent', { codes: aadstsCodes });
  if (known) return known.reason;
  const code = aadstsCodes.length ? ` (AADSTS${aadstsCodes[0]})` : ` (${error})`;
  return `Microsoft no longer accepts the stored consent${code}.`;
}

export { RECONSENT_FIX } from '../../../shared/application/microsoft-refusals';

// Why Microsoft would not issue a token for one customer's directory while the consent itself still works
// (FACTS.md §3.1, §7a.2, §7a.7): the cause names that customer, never the delegated admin.
export interface CustomerRefusal {
  kind: CustomerRefusalKind;
  reason: string;
  fix: string;
}

const CUSTOMER_REFUSAL_KINDS: Partial<Record<RefusalCause, CustomerRefusalKind>> = {
  'app-not-provisioned': 'app_not_provisioned',
  'conditional-access-mfa': 'conditional_access',
  'conditional-access-block': 'conditional_access',
  'conditional-access-device': 'conditional_access',
  'no-gdap': 'no_gdap',
};

// The refusals that concern one customer's directory only (AADSTS50020, 65001, 90099, 50076, 53003, 53000, …).
export const CUSTOMER_ONLY_REFUSALS: number[] = refusalCodes('customer-directory');

export function customerRefusal(aadstsCodes: number[]): CustomerRefusal {
  const known = microsoftRefusal('customer-directory', { codes: aadstsCodes });
  const code = aadstsCodes.length ? ` (AADSTS${aadstsCodes[0]})` : '';
  if (!known)
    return {
      kind: 'no_gdap',
      reason: `Microsoft did not issue a token for this customer’s directory${code}.`,
      fix: 'Check the GDAP relationship with this customer in Partner Center.',
    };
  return { kind: CUSTOMER_REFUSAL_KINDS[known.cause] ?? 'no_gdap', reason: known.reason.replace(/\.$/, `${code}.`), fix: known.fix };
}
