import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

// Partner Center's error body (error-codes.md): {code, description, data, source} plus
// "WWW-Authenticate: OAuth realm=urn:cpsvc:cpid:{cid}". Codes are sent as numbers; the docs type them as
// strings, so clients must accept both.
export interface ApiFault {
  status: number;
  code: number;
  description: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// headers.md: the service echoes MS-RequestId and MS-CorrelationId (and makes them up when absent).
export function applyPartnerCenterHeaders(req: Request, res: Response): void {
  if (res.locals.partnerCenterHeaders) return;
  res.locals.partnerCenterHeaders = true;
  const requestId = req.get('ms-requestid');
  const correlationId = req.get('ms-correlationid');
  res.set('MS-RequestId', requestId && GUID.test(requestId) ? requestId : randomUUID());
  res.set('MS-CorrelationId', correlationId && GUID.test(correlationId) ? correlationId : randomUUID());
  res.set('MS-CV', `${randomUUID().replace(/-/g, '').slice(0, 22)}.0`);
}

export function sendApiFault(req: Request, res: Response, fault: ApiFault, extraHeaders: Record<string, string> = {}): void {
  applyPartnerCenterHeaders(req, res);
  res
    .status(fault.status)
    .set('WWW-Authenticate', `OAuth realm=urn:cpsvc:cpid:${String(res.get('MS-CorrelationId'))}`)
    .set(extraHeaders)
    .json({ code: fault.code, description: fault.description, data: [], source: 'PartnerFD' });
}

// api-throttling-guidance.md: a 429 carries Retry-After and this body, which is not an ApiFault.
export function sendPartnerCenterThrottled(req: Request, res: Response, retryAfterSeconds: number): void {
  applyPartnerCenterHeaders(req, res);
  res
    .status(429)
    .set('Retry-After', String(retryAfterSeconds))
    .json({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` });
}

// Benchmarks' realistic world only: a refusal for too many requests at once, with the documented body but no wait
// to name (assumed: Microsoft publishes no concurrency limit, nor its answer).
export function sendPartnerCenterThrottledWithoutWait(req: Request, res: Response): void {
  applyPartnerCenterHeaders(req, res);
  res.status(429).json({ statusCode: 429, message: 'Rate limit is exceeded. Try again later.' });
}

export const FAULTS = {
  tokenMissing: { status: 401, code: 800001, description: 'Partner Token missing in request context.' },
  tokenInvalid: (reason: string): ApiFault => ({ status: 401, code: 400, description: `Access denied. ${reason}` }),
  // The 2026 MFA enforcement answers 401 with error code 900421 (FACTS §0.4); the body text is the
  // emulator's, Microsoft's exact wording is not published.
  mfaRequired: {
    status: 401,
    code: 900421,
    description:
      "Multi-factor authentication (MFA) is required. The access token's amr claim does not contain 'mfa': sign the user in again with MFA.",
  },
  // Partner Center's answer to a user without the Admin Agent role, as Microsoft's SDKs surface it.
  roleDenied: { status: 403, code: 2032, description: 'The supplied role does not have the rights to perform the requested operation.' },
  // get-started.md: "API access to Partner Center for indirect resellers isn't supported". A valid token from
  // a tenant that may not use the API is a 403 (authenticated, not authorized), like the role refusal.
  indirectReseller: {
    status: 403,
    code: 2032,
    description: "Access denied. API access to Partner Center for indirect resellers isn't supported.",
  },
  notAPartner: { status: 403, code: 2032, description: 'Access denied. The signed-in tenant is not a Cloud Solution Provider partner.' },
  noCommerceRelationship: (partnerId: string, customerId: string): ApiFault => ({
    status: 403,
    code: 20002,
    description: `The partner ID ${partnerId} has no commerce relationship with the customer ID ${customerId}`,
  }),
  // get-a-list-of-available-licenses.md: the caller needs a GDAP role (Directory Reader, Global Reader, User
  // Administrator or License Administrator) in the customer. Microsoft publishes neither status nor code for the
  // refusal: the emulator assumes 403 with the documented "Access denied" code 2032 (error-codes.md).
  noLicenceReadingGdapRole: (customerId: string): ApiFault => ({
    status: 403,
    code: 2032,
    description: `Access denied. The signed-in user has no GDAP role in customer ${customerId} that may list its licenses (Directory Readers, Global Reader, User Administrator or License Administrator).`,
  }),
  customerNotFound: (customerId: string): ApiFault => ({ status: 404, code: 60003, description: `Tenant not found: ${customerId}.` }),
  // get-a-sku-by-id.md's error table.
  productNotFound: { status: 404, code: 400013, description: 'Product was not found.' },
  catalogueSkuNotFound: { status: 404, code: 400018, description: 'Sku was not found.' },
  subscriptionNotFound: { status: 404, code: 20003, description: 'This subscription is not found.' },
  invalidInput: (detail: string): ApiFault => ({ status: 400, code: 800002, description: `Invalid request input. ${detail}` }),
  quantityOutOfRange: { status: 400, code: 2002, description: 'Subscription quantity is not within minimum and maximum allowed quantity.' },
  subscriptionSuspended: {
    status: 400,
    code: 2001,
    description: 'Subscription quantity cannot be increased or decreased while subscription is being suspended.',
  },
  subscriptionNotActive: { status: 400, code: 800012, description: 'This subscription is not an active subscription.' },
  // New commerce: seats can only be reduced within 7 days of purchase or renewal. Microsoft's exact code is
  // not documented; the emulator reuses "Invalid request input" with a precise description.
  decreaseOutsideCancellationWindow: (subscriptionId: string, until: string): ApiFault => ({
    status: 400,
    code: 800002,
    description: `Quantity cannot be decreased for subscription ${subscriptionId}: the cancellation window ended on ${until}. Seats can be reduced within 7 days of purchase or renewal.`,
  }),
  // New commerce (FACTS §7a.4): a decrease larger than refundableQuantity. Microsoft documents the rule and the
  // field but not the refusal's status, code or wording: modelled as a 400 ApiFault with "Invalid request input".
  decreaseBeyondRefundable: (subscriptionId: string, requested: number, refundable: number): ApiFault => ({
    status: 400,
    code: 800002,
    description: `Invalid request input. The quantity of subscription ${subscriptionId} cannot be decreased by ${requested}: only ${refundable} seat(s) can be reduced now (refundableQuantity). Seats can be reduced only within 7 days of being added; schedule the change for renewal instead (scheduledNextTermInstructions).`,
  }),
  // A second change while a 202-accepted one is still being made: the wording of Partner Center's 409 "pending
  // adjustment" answer (error-codes.md 800014) — assumed to apply to subscriptions too.
  pendingChange: { status: 409, code: 800014, description: 'There is a pending adjustment requested for this order.' },
  // create-scheduled-changes.md prerequisites: auto-renew on. Status/code undocumented: modelled like invalid input.
  scheduleNeedsAutoRenew: {
    status: 400,
    code: 800002,
    description: 'Invalid request input. Scheduled changes need auto-renew to be enabled on the subscription.',
  },
} as const;

// Status codes a fault rule can ask for, with the ApiFault that goes with them.
export function faultForStatus(status: number): ApiFault {
  switch (status) {
    case 400:
      return FAULTS.invalidInput('Injected fault.');
    case 401:
      return FAULTS.tokenInvalid('Injected fault.');
    case 403:
      return { ...FAULTS.roleDenied };
    case 404:
      return { status, code: 1000, description: 'Not found.' };
    case 409:
      return { status, code: 800014, description: 'There is a pending adjustment requested for this order.' };
    default:
      return status >= 500
        ? { status, code: 800003, description: 'Unexpected service error.' }
        : { status, code: status, description: 'Request failed.' };
  }
}
