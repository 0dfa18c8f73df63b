import { MicrosoftApiError, type MicrosoftApiErrorInit } from '../../../../../libs/microsoft/src';
import { DomainError } from '../../../../shared/domain/domain-error';
import { MicrosoftUnavailableError } from '../../../../shared/domain/microsoft-unavailable.error';
import { CustomerReadRefusedError } from '../../contracts/partner-center-directory';
import { CustomerListRefusedError } from '../../contracts/partner-center.errors';
import { customerListFailure, customerReadFailure, quantityChangeFailure, type CustomerRead } from './microsoft-error.mapper';
import { UnexpectedWireShapeError } from './wire-value.mapper';

const licences: CustomerRead = {
  service: 'partner-center',
  what: "list this customer's licences",
  forbidden: "Partner Center refused to list this customer's licences",
  forbiddenFix: 'Check the Admin Agent role.',
};
const relationships: CustomerRead = {
  service: 'graph',
  what: 'list your GDAP relationships with this customer',
  forbidden: 'Your access does not allow reading your GDAP relationships with this customer',
  forbiddenFix: 'Re-grant consent.',
};

const apiError = (init: Partial<MicrosoftApiErrorInit> & Pick<MicrosoftApiErrorInit, 'status' | 'code'>) =>
  new MicrosoftApiError({ service: 'partner-center', message: 'failed', requestId: 'req-1', ...init });

function reasonOf(error: unknown): string {
  expect(error).toBeInstanceOf(CustomerReadRefusedError);
  return (error as CustomerReadRefusedError).reason;
}

class StandInReconsentError extends DomainError {
  readonly code = 'CONSENT.RECONSENT_REQUIRED';
}

describe('Microsoft error mapping for one customer', () => {
  it('says in plain words that there is no reseller relationship (403, code 20002)', () => {
    const reason = reasonOf(customerReadFailure(apiError({ status: 403, code: '20002' }), licences));

    expect(reason).toMatch(/^Partner Center says your organization has no reseller relationship with this customer \(403, code 20002\)\./);
  });

  it('names the refused read and its fix for any other 403', () => {
    const reason = reasonOf(customerReadFailure(apiError({ status: 403, code: '2032' }), licences));

    expect(reason).toBe("Partner Center refused to list this customer's licences (403, code 2032). Check the Admin Agent role.");
  });

  it('explains a Graph 403 on GDAP reads, and Conditional Access when Graph says insufficient_claims', () => {
    expect(
      reasonOf(customerReadFailure(apiError({ service: 'graph', status: 403, code: 'Authorization_RequestDenied' }), relationships)),
    ).toBe(
      'Your access does not allow reading your GDAP relationships with this customer (403, code Authorization_RequestDenied). Re-grant consent.',
    );
    expect(
      reasonOf(
        customerReadFailure(
          apiError({ service: 'graph', status: 403, code: 'AccessDenied', wwwAuthenticate: 'Bearer error="insufficient_claims"' }),
          relationships,
        ),
      ),
    ).toMatch(/^Conditional Access in your directory blocked Sync 365/);
  });

  it('points at multi-factor authentication for Partner Center 401 code 900421 and the legacy bare 401', () => {
    expect(reasonOf(customerReadFailure(apiError({ status: 401, code: '900421' }), licences))).toMatch(
      /requires multi-factor authentication.*Re-grant consent/,
    );
    expect(
      reasonOf(customerReadFailure(apiError({ status: 401, code: 'http_401', wwwAuthenticate: 'Bearer error="invalid_token"' }), licences)),
    ).toMatch(/\(401\)\. Partner Center requires multi-factor authentication/);
  });

  it('says Partner Center does not know the customer on 404', () => {
    expect(reasonOf(customerReadFailure(apiError({ status: 404, code: '60003' }), licences))).toMatch(
      /^Partner Center does not know this customer \(404, code 60003\)/,
    );
  });

  it('treats an answer cut off on the way as transient (read again), and one that can never be used as a refusal-style reason', () => {
    const cutOff = customerReadFailure(apiError({ status: 200, code: 'malformed_response', attempts: 4 }), licences);
    expect(cutOff).toBeInstanceOf(MicrosoftUnavailableError);
    expect((cutOff as MicrosoftUnavailableError).message).toBe(
      'Partner Center did not answer as expected (the answer was cut off or is not JSON after 4 attempts).',
    );
    expect(reasonOf(customerReadFailure(apiError({ status: 200, code: 'paging_loop' }), licences))).toBe(
      "Partner Center answered in a form Sync 365 cannot read when asked to list this customer's licences (it sent the same next-page link twice). It will be read again at the next import.",
    );
    expect(reasonOf(customerReadFailure(new UnexpectedWireShapeError('a licence has no SKU id'), licences))).toMatch(
      /\(a licence has no SKU id\)/,
    );
  });

  it('reports what is still failing after the retries as Microsoft being unavailable, naming the service', () => {
    const error = customerReadFailure(apiError({ status: 500, code: '800003', attempts: 4 }), licences);

    expect(error).toBeInstanceOf(MicrosoftUnavailableError);
    expect((error as Error).message).toBe('Partner Center did not answer as expected (HTTP 500, code 800003 after 4 attempts).');
    const throttled = customerReadFailure(
      apiError({ status: 429, code: 'http_429', retryAfterSeconds: 120 }),
      licences,
    ) as MicrosoftUnavailableError;
    expect(throttled.message).toMatch(/asked to wait 120 s/);
    // Throttling is Microsoft asking to wait, with how long: the import waits rather than failing the tenant.
    expect(throttled.throttled).toEqual({ retryAfterSeconds: 120 });
    expect((error as MicrosoftUnavailableError).throttled).toBeUndefined();
    expect(
      (
        customerReadFailure(
          apiError({ service: 'graph', status: 0, code: 'network_error', networkCode: 'ECONNRESET', attempts: 4 }),
          relationships,
        ) as Error
      ).message,
    ).toBe('Microsoft Graph did not answer as expected (no answer: ECONNRESET after 4 attempts).');
  });

  it('lets consent errors and bugs through unchanged', () => {
    const reconsent = new StandInReconsentError('The connection expired.', 'Re-grant.');
    const bug = new TypeError('x is undefined');

    expect(customerReadFailure(reconsent, licences)).toBe(reconsent);
    expect(customerReadFailure(bug, licences)).toBe(bug);
  });
});

describe('Microsoft error mapping for the customer list', () => {
  it('asks for the Admin Agent role when Partner Center refuses the list (403)', () => {
    const error = customerListFailure(apiError({ status: 403, code: '2032' }));

    expect(error).toBeInstanceOf(CustomerListRefusedError);
    expect(error).toMatchObject({
      code: 'PARTNER_CENTER.CUSTOMER_LIST_REFUSED',
      message: 'Partner Center refused to list your customers (403, code 2032).',
    });
    expect((error as CustomerListRefusedError).fix).toMatch(/Admin Agent role/);
  });

  it('asks for a re-grant with MFA on 401, and retries the import later on a 5xx or an unreadable page', () => {
    expect(customerListFailure(apiError({ status: 401, code: '900421' }))).toMatchObject({
      code: 'PARTNER_CENTER.CUSTOMER_LIST_REFUSED',
      fix: expect.stringMatching(/multi-factor/),
    });
    expect(customerListFailure(apiError({ status: 503, code: 'http_503', attempts: 4 }))).toBeInstanceOf(MicrosoftUnavailableError);
    expect(customerListFailure(apiError({ status: 200, code: 'malformed_response' }))).toBeInstanceOf(MicrosoftUnavailableError);
  });
});

describe('a failed subscription quantity change', () => {
  it('may have been applied when Partner Center answered 5xx or the connection dropped: the caller must read it again', () => {
    expect(quantityChangeFailure(apiError({ status: 502, code: 'http_502', attempts: 1 }))).toEqual({
      kind: 'unknown-effect',
      detail: 'Partner Center failed to answer the change (HTTP 502).',
    });
    expect(quantityChangeFailure(apiError({ status: 0, code: 'timeout', networkCode: 'timeout', attempts: 2 }))).toEqual({
      kind: 'unknown-effect',
      detail: 'Partner Center did not answer the change (timeout after 2 attempts).',
    });
  });

  it('may have been applied when Partner Center answered 2xx but the answer was cut off', () => {
    expect(quantityChangeFailure(apiError({ status: 200, code: 'malformed_response' }))).toMatchObject({ kind: 'unknown-effect' });
  });

  it('was not applied when throttled: nothing changed', () => {
    const failure = quantityChangeFailure(apiError({ status: 429, code: 'http_429', retryAfterSeconds: 57 }));
    expect(failure).toEqual({
      kind: 'not-applied',
      reason: 'Partner Center did not answer as expected (throttled: asked to wait 57 s). Nothing was changed.',
    });
  });

  it('is refused in plain words: the sign-in, the reseller relationship, a suspended subscription, or in Partner Center’s own sentence', () => {
    expect(quantityChangeFailure(apiError({ status: 401, code: '900421' }))).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('requires multi-factor authentication'),
    });
    expect(quantityChangeFailure(apiError({ status: 403, code: '20002' }))).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('no reseller relationship with this customer'),
    });
    expect(quantityChangeFailure(apiError({ status: 400, code: '2001' }))).toEqual({
      kind: 'refused',
      reason: 'Partner Center does not change the seats of a suspended subscription. (Partner Center 400, code 2001.)',
    });
    expect(quantityChangeFailure(apiError({ status: 400, code: '800002', microsoftMessage: 'Quantity cannot be decreased.' }))).toEqual({
      kind: 'refused',
      reason: 'Partner Center refused the change (HTTP 400, code 800002): “Quantity cannot be decreased.”',
    });
  });
});
