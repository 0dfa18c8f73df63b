import { MicrosoftApiError, type MicrosoftService } from '../../../../../libs/microsoft/src';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { CustomerReadRefusedError } from '../../contracts/partner-center-directory';
import { CustomerListRefusedError } from '../../contracts/partner-center.errors';
import { UnexpectedWireShapeError } from './wire-value.mapper';

// What one read asks Microsoft for, in words for the sentence a partner admin reads when it fails.
export interface CustomerRead {
  service: Extract<MicrosoftService, 'partner-center' | 'graph'>;
  what: string; // "list this customer's licences"
  forbidden: string; // the sentence for a 403: what was refused
  forbiddenFix: string; // and what the partner can do about it
}

const NAMES: Record<MicrosoftService, string> = {
  entra: 'Microsoft Entra ID',
  'partner-center': 'Partner Center',
  graph: 'Microsoft Graph',
};
const NEXT_IMPORT = 'It will be read again at the next import.';
const RECONSENT =
  'Re-grant consent for this delegated admin, signing in with the Partner Center account and completing multi-factor authentication.';

type Failure = 'refused' | 'unreadable' | 'unavailable';

// The clients already retried what can succeed by retrying (429 with Retry-After, 408, 5xx, dropped
// connections; libs/microsoft README). What still fails is sorted here:
// - refused: Microsoft answered and will answer the same until someone acts (401/403/404 and other 4xx);
// - unreadable: an answer we cannot use (a paging loop, a link to another host, an item without its id), which
//   will not fix itself within this import;
// - unavailable: throttled beyond what we wait for, 5xx, timeouts, no connection, an answer cut off on the way
//   (the client already asked again): try later.
function classify(error: MicrosoftApiError): Failure {
  if (['paging_loop', 'untrusted_url'].includes(error.code)) return 'unreadable';
  if (error.status === 408 || error.status === 429) return 'unavailable';
  if (error.status >= 400 && error.status < 500) return 'refused';
  return 'unavailable';
}

// A failed read of one customer → CustomerReadRefusedError (that tenant fails with the reason, the import goes
// on) or MicrosoftUnavailableError (try later). Anything else, such as the consent vault's
// CONSENT.RECONSENT_REQUIRED, goes through unchanged.
export function customerReadFailure(error: unknown, read: CustomerRead): unknown {
  if (error instanceof UnexpectedWireShapeError) return new CustomerReadRefusedError(unreadableReason(read, error.detail));
  if (!(error instanceof MicrosoftApiError)) return error;
  switch (classify(error)) {
    case 'refused':
      return new CustomerReadRefusedError(refusalReason(error, read));
    case 'unreadable':
      return new CustomerReadRefusedError(unreadableReason(read, unreadableDetail(error)));
    case 'unavailable':
      return unavailable(error);
  }
}

// A failed page of the customer list concerns every tenant: the partner must act (CustomerListRefusedError), or
// the whole import is tried again later (MicrosoftUnavailableError, also for a page we cannot read).
export function customerListFailure(error: unknown): unknown {
  if (error instanceof UnexpectedWireShapeError) return new MicrosoftUnavailableError('Partner Center', error.detail);
  if (!(error instanceof MicrosoftApiError)) return error;
  if (error.status === 401) {
    return new CustomerListRefusedError(
      `Partner Center did not accept the delegated admin's sign-in when listing your customers (401${codeOf(error)}).${mfaHint(error)}`,
      RECONSENT,
    );
  }
  if (error.status === 403) {
    return new CustomerListRefusedError(
      `Partner Center refused to list your customers (403${codeOf(error)}).`,
      'Give the Partner Center account the Admin Agent role in Partner Center, then re-grant consent. Indirect resellers cannot use the Partner Center API: connect the indirect provider’s account instead.',
    );
  }
  if (classify(error) === 'unreadable') return new MicrosoftUnavailableError('Partner Center', unreadableDetail(error));
  return unavailable(error);
}

// Partner Center lists a customer's licences only for a partner user holding Directory Readers, Global Reader, User
// Administrator or License Administrator in that customer through GDAP (get-a-list-of-available-licenses.md). Its
// refusal's status and code are not published: any 403 other than "no reseller relationship" (20002) or Conditional
// Access is taken for it; when the account itself lacks access, the subscriptions read after it fails too and says so.
export function isLicenceGdapRefusal(error: unknown): error is MicrosoftApiError {
  return (
    error instanceof MicrosoftApiError &&
    error.service === 'partner-center' &&
    error.status === 403 &&
    error.code !== '20002' &&
    !/insufficient_claims/i.test(error.wwwAuthenticate ?? '')
  );
}

// Starts with the words every page shows ("GDAP role missing"), then why and the fix.
export function licencesNeedGdapReason(error: MicrosoftApiError): string {
  return `GDAP role missing: Partner Center refused to list this customer's licences (403${codeOf(error)}) because the Partner Center account has no GDAP role in this customer that may read them. Give the account's security group Directory Readers, Global Reader, User Administrator or License Administrator in an active GDAP relationship with this customer; the licences are read at the next import.`;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof MicrosoftApiError && error.status === 404;
}

function refusalReason(error: MicrosoftApiError, read: CustomerRead): string {
  const service = NAMES[read.service];
  const code = codeOf(error);
  if (error.status === 401)
    return `${service} did not accept the delegated admin's sign-in when asked to ${read.what} (401${code}).${mfaHint(error)} ${RECONSENT}`;
  // error-codes.md: "The partner ID {0} has no commerce relationship with the customer ID {1}" (FACTS.md §2.11).
  if (error.status === 403 && read.service === 'partner-center' && error.code === '20002') {
    return 'Partner Center says your organization has no reseller relationship with this customer (403, code 20002). If you still sell to this customer, ask them to accept your reseller relationship in the Microsoft 365 admin center; otherwise this customer no longer belongs to this Partner Center account.';
  }
  // Conditional Access answers 403 with error="insufficient_claims" only in WWW-Authenticate (FACTS.md §3.6).
  if (error.status === 403 && /insufficient_claims/i.test(error.wwwAuthenticate ?? '')) {
    return `Conditional Access in your directory blocked Sync 365 when asked to ${read.what} (${service} 403). ${RECONSENT}`;
  }
  if (error.status === 403) return `${read.forbidden} (403${code}). ${read.forbiddenFix}`;
  if (error.status === 404 && read.service === 'partner-center') {
    return `Partner Center does not know this customer (404${code}), so it could not ${read.what}. The tenant may have left your Partner Center account: check it under Customers in Partner Center.`;
  }
  const reference = error.requestId ? ` If it keeps happening, give support the request id ${error.requestId}.` : '';
  return `${service} refused to ${read.what} (HTTP ${error.status}${code}). ${NEXT_IMPORT}${reference}`;
}

function unreadableReason(read: CustomerRead, detail: string): string {
  return `${NAMES[read.service]} answered in a form Sync 365 cannot read when asked to ${read.what} (${detail}). ${NEXT_IMPORT}`;
}

function unreadableDetail(error: MicrosoftApiError): string {
  if (error.code === 'paging_loop') return 'it sent the same next-page link twice';
  if (error.code === 'untrusted_url') return 'its next-page link pointed to another host, so the token was not sent there';
  return 'the response was cut off or is not JSON';
}

function unavailable(error: MicrosoftApiError): MicrosoftUnavailableError {
  const attempts = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
  let detail: string;
  if (error.status === 429) {
    detail =
      error.retryAfterSeconds !== undefined ? `throttled: asked to wait ${Math.ceil(error.retryAfterSeconds)} s` : `throttled${attempts}`;
  } else if (error.status === 0) {
    detail = `no answer: ${error.networkCode ?? error.code}${attempts}`;
  } else if (error.code === 'malformed_response') {
    detail = `the answer was cut off or is not JSON${attempts}`;
  } else {
    detail = `HTTP ${error.status}${codeOf(error)}${attempts}`;
  }
  return new MicrosoftUnavailableError(
    NAMES[error.service],
    detail,
    error.status === 429 ? { retryAfterSeconds: error.retryAfterSeconds } : undefined,
  );
}

// Microsoft's own code when it sent one; ours (http_500) says nothing the status does not.
function codeOf(error: MicrosoftApiError): string {
  return error.code && !/^http_\d+$/.test(error.code) ? `, code ${error.code}` : '';
}

// Partner Center's MFA refusal: code 900421, or the legacy bare 401 with Bearer error="invalid_token" (FACTS.md §0.4).
function mfaHint(error: MicrosoftApiError): string {
  if (error.service !== 'partner-center') return '';
  const mfa = error.code === '900421' || /invalid_token/i.test(error.wwwAuthenticate ?? '');
  return mfa ? ' Partner Center requires multi-factor authentication on this sign-in.' : '';
}

// A failed subscription quantity change (change-the-quantity-of-a-subscription.md), sorted by what it did:
// - refused: Partner Center answered no and changed nothing (4xx), with the reason in words;
// - not-applied: throttled before any work was done (429): nothing changed, try again later;
// - unknown-effect: a 5xx, a timeout or a dropped connection after the request left: it may have been applied,
//   so the caller reads the subscription again before saying anything.
export type QuantityChangeFailure =
  { kind: 'refused'; reason: string } | { kind: 'not-applied'; reason: string } | { kind: 'unknown-effect'; detail: string };

const QUANTITY_REFUSALS: Record<string, string> = {
  // error-codes.md and the emulator's PATCH rules.
  '2001': 'Partner Center does not change the seats of a suspended subscription.',
  '800012': 'The subscription is not active in Partner Center, so its seats cannot change.',
  '2002': 'Partner Center does not allow this number of seats for this subscription (it is outside the minimum and maximum).',
};

export function quantityChangeFailure(error: MicrosoftApiError): QuantityChangeFailure {
  if (error.status === 429) return { kind: 'not-applied', reason: `${unavailable(error).message} Nothing was changed.` };
  // A 2xx whose answer was cut off: Partner Center took the change, only its answer was lost.
  if (error.code === 'malformed_response')
    return { kind: 'unknown-effect', detail: `Partner Center answered the change (HTTP ${error.status}) but its answer was cut off.` };
  if (error.status === 0 || error.status === 408 || error.status >= 500) {
    const attempts = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
    return {
      kind: 'unknown-effect',
      detail:
        error.status === 0
          ? `Partner Center did not answer the change (${error.networkCode ?? error.code}${attempts}).`
          : `Partner Center failed to answer the change (HTTP ${error.status}${codeOf(error)}${attempts}).`,
    };
  }
  const code = codeOf(error);
  if (error.status === 401)
    return {
      kind: 'refused',
      reason: `Partner Center did not accept the delegated admin's sign-in (401${code}).${mfaHint(error)} ${RECONSENT}`,
    };
  if (error.status === 403 && error.code === '20002') {
    return {
      kind: 'refused',
      reason:
        'Partner Center says your organization has no reseller relationship with this customer (403, code 20002), so it cannot change its subscriptions.',
    };
  }
  if (error.status === 403) {
    return {
      kind: 'refused',
      reason: `Partner Center refused to change this subscription (403${code}). The Partner Center account needs the Admin Agent role, and your organization must be the subscription's reseller of record.`,
    };
  }
  if (error.status === 404)
    return {
      kind: 'refused',
      reason: `Partner Center no longer knows this subscription or customer (404${code}), so nothing was changed.`,
    };
  const known = QUANTITY_REFUSALS[error.code];
  if (known) return { kind: 'refused', reason: `${known} (Partner Center ${error.status}${code}.)` };
  // Partner Center's own description is a plain sentence (e.g. the new-commerce cancellation window): quoted.
  const said = error.microsoftMessage ? `: “${error.microsoftMessage}”` : '.';
  return { kind: 'refused', reason: `Partner Center refused the change (HTTP ${error.status}${code})${said}` };
}
