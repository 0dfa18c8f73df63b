export type MicrosoftService = 'entra' | 'partner-center' | 'graph';

export const SERVICE_NAMES: Record<MicrosoftService, string> = {
  entra: 'Microsoft Entra ID',
  'partner-center': 'Partner Center',
  graph: 'Microsoft Graph',
};

export interface MicrosoftApiErrorInit {
  service: MicrosoftService;
  status: number; // 0 when no HTTP response came back (network failure, timeout)
  code: string;
  message: string;
  microsoftMessage?: string;
  requestId?: string;
  correlationId?: string;
  retryAfterSeconds?: number;
  attempts?: number;
  method?: string;
  path?: string;
  networkCode?: string;
  wwwAuthenticate?: string;
}

// A failed call to a Microsoft API, keeping Microsoft's own status, code and message so callers can map them
// to plain-language causes. `code` is Microsoft's code as a string: Graph `error.code` ("TooManyRequests"),
// Partner Center ApiFault `code` (a number on the wire, e.g. "20002"), the token endpoint's `error`. When
// Microsoft sent none it is ours: `http_<status>`, `network_error`, `timeout`, `malformed_response`.
// Never carries access tokens, secrets or bodies; `path` has no query string.
export class MicrosoftApiError extends Error {
  readonly service: MicrosoftService;
  readonly status: number;
  readonly code: string;
  readonly microsoftMessage?: string;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly retryAfterSeconds?: number;
  readonly attempts: number;
  readonly method?: string;
  readonly path?: string;
  readonly networkCode?: string;
  // Partner Center's legacy MFA refusal is a bare 401 with `Bearer error="invalid_token"`, and Graph's
  // Conditional Access refusal carries `error="insufficient_claims"`: both only in this header.
  readonly wwwAuthenticate?: string;

  constructor(init: MicrosoftApiErrorInit) {
    super(init.message);
    this.name = 'MicrosoftApiError';
    this.service = init.service;
    this.status = init.status;
    this.code = init.code;
    this.microsoftMessage = init.microsoftMessage;
    this.requestId = init.requestId;
    this.correlationId = init.correlationId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts ?? 1;
    this.method = init.method;
    this.path = init.path;
    this.networkCode = init.networkCode;
    this.wwwAuthenticate = init.wwwAuthenticate;
  }

  get isThrottled(): boolean {
    return this.status === 429;
  }
}
