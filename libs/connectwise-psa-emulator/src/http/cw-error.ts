import type { Response } from 'express';

// ConnectWise's error body: {"code","message","errors":[{"code","message","resource","field"}]} (CTC issue 30).
// Which code and message ConnectWise sends for each refusal other than InvalidObject is not documented; the ones
// here are assumed, marked below, and kept in this one table so they are easy to correct.
export interface FieldError {
  code: string;
  message: string;
  resource: string;
  field: string;
}

export function sendCwError(
  res: Response,
  status: number,
  code: string,
  message: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): void {
  res.set(headers);
  res.status(status).json(errors && errors.length > 0 ? { code, message, errors } : { code, message });
}

export const CW_ERRORS = {
  // Assumed (the header is documented as required, its refusal is not).
  missingClientId: {
    status: 401,
    code: 'Unauthorized',
    message: 'A clientId header is required. Register your integration at developer.connectwise.com.',
  },
  unknownClientId: { status: 401, code: 'Unauthorized', message: 'The clientId is not valid.' },
  // "Unauthorized" with a message, and "ConnectWiseApi"/"UserNotAuthenticated": the two 401 bodies CTC handles.
  noAuthorization: { status: 401, code: 'Unauthorized', message: 'Authorization has been denied for this request.' },
  badCredentials: { status: 401, code: 'ConnectWiseApi', message: 'UserNotAuthenticated' },
  // Cloud answers 404 for bad credentials (CWDOC); its body is not documented (assumed: a NotFound like any other).
  badCredentialsCloud: { status: 404, code: 'NotFound', message: 'The requested resource was not found.' },
  // Assumed wording.
  forbidden: (area: string) => ({
    status: 403,
    code: 'Forbidden',
    message: `You do not have access to ${area}. Ask your ConnectWise administrator to update your security role.`,
  }),
  notFound: (resource: string, id: number | string) => ({
    status: 404,
    code: 'NotFound',
    message: `${resource} with id ${id} was not found.`,
  }),
  routeNotFound: { status: 404, code: 'NotFound', message: 'The requested resource was not found.' },
  // Assumed: the code and wording of a 429 (Cloudflare in front of the cloud answers it, PYCW#41).
  throttled: (seconds: number) => ({ status: 429, code: 'TooManyRequests', message: `Too many requests. Retry after ${seconds} seconds.` }),
  server: { status: 500, code: 'InternalServerError', message: 'An error has occurred.' },
  // Assumed: the code of a bad `conditions`.
  badConditions: (detail: string) => ({ status: 400, code: 'InvalidConditions', message: detail }),
  badRequest: (detail: string) => ({ status: 400, code: 'BadRequest', message: detail }),
};

export function sendFrom(
  res: Response,
  error: { status: number; code: string; message: string },
  headers: Record<string, string> = {},
): void {
  sendCwError(res, error.status, error.code, error.message, undefined, headers);
}
