// A failed call to ConnectWise PSA, keeping ConnectWise's own status, code, message and field errors so the
// sync can show the PSA's words, and carrying a plain-language fix for the partner. `code` is ConnectWise's body
// `code` ("InvalidObject", "Unauthorized", "ConnectWiseApi", "NotFound"…) or ours when it sent none: `http_<status>`,
// `network_error`, `timeout`, `malformed_response`. Never carries keys, the Authorization header or request bodies.

export type ConnectWiseErrorKind =
  | 'validation' // 400 InvalidObject (and other 400s)
  | 'authentication' // 401, or a 404 where ConnectWise cloud hides bad credentials
  | 'forbidden' // 403: the API member's security role lacks the module
  | 'not-found' // 404 on a record
  | 'conflict' // 409
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'network' // no answer
  | 'protocol'; // an answer this client cannot read (not JSON, a link to another host)

// One field error of an InvalidObject body: {"code":"MissingRequiredField","message":"…","resource":"configuration","field":"id"}.
export interface ConnectWiseFieldError {
  code?: string;
  message?: string;
  resource?: string;
  field?: string;
}

export interface ConnectWiseApiErrorInit {
  kind: ConnectWiseErrorKind;
  status: number; // 0 when no HTTP response came back
  code: string;
  message: string;
  psaMessage?: string;
  errors?: ConnectWiseFieldError[];
  fix: string;
  retryAfterSeconds?: number;
  attempts?: number;
  method?: string;
  path?: string;
  networkCode?: string;
}

export class ConnectWiseApiError extends Error {
  readonly kind: ConnectWiseErrorKind;
  readonly status: number;
  readonly code: string;
  // ConnectWise's own message, with the field errors' messages after it ("agreementAddition object is invalid: The
  // product field is required."): what a person is shown as "ConnectWise said".
  readonly psaMessage?: string;
  readonly errors: ConnectWiseFieldError[];
  // What the partner can do about it, in plain language.
  readonly fix: string;
  readonly retryAfterSeconds?: number;
  readonly attempts: number;
  readonly method?: string;
  readonly path?: string;
  readonly networkCode?: string;

  constructor(init: ConnectWiseApiErrorInit) {
    super(init.message);
    this.name = 'ConnectWiseApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.psaMessage = init.psaMessage;
    this.errors = init.errors ?? [];
    this.fix = init.fix;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts ?? 1;
    this.method = init.method;
    this.path = init.path;
    this.networkCode = init.networkCode;
  }

  // Transient: worth trying again later (the sync reschedules; the client already retried within its bounds).
  get isTransient(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'network';
  }
}

// 400: ConnectWise refused the object (InvalidObject with field errors) or the request (bad conditions).
export class ConnectWiseValidationError extends ConnectWiseApiError {
  constructor(init: Omit<ConnectWiseApiErrorInit, 'kind'>) {
    super({ ...init, kind: 'validation' });
    this.name = 'ConnectWiseValidationError';
  }
}

// 401, or the 404 ConnectWise cloud answers for a wrong company id or keys.
export class ConnectWiseAuthenticationError extends ConnectWiseApiError {
  constructor(init: Omit<ConnectWiseApiErrorInit, 'kind'>) {
    super({ ...init, kind: 'authentication' });
    this.name = 'ConnectWiseAuthenticationError';
  }
}

export class ConnectWiseForbiddenError extends ConnectWiseApiError {
  constructor(init: Omit<ConnectWiseApiErrorInit, 'kind'>) {
    super({ ...init, kind: 'forbidden' });
    this.name = 'ConnectWiseForbiddenError';
  }
}

export class ConnectWiseNotFoundError extends ConnectWiseApiError {
  constructor(init: Omit<ConnectWiseApiErrorInit, 'kind'>) {
    super({ ...init, kind: 'not-found' });
    this.name = 'ConnectWiseNotFoundError';
  }
}

export class ConnectWiseRateLimitError extends ConnectWiseApiError {
  constructor(init: Omit<ConnectWiseApiErrorInit, 'kind'>) {
    super({ ...init, kind: 'rate-limited' });
    this.name = 'ConnectWiseRateLimitError';
  }
}
