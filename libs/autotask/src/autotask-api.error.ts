// A failed Autotask call, keeping Autotask's own status and messages (its body is {"errors":["…"]} [KT]) and a
// plain-language fix a person can act on. Never carries credentials or request bodies; `path` has no query string.
export type AutotaskErrorKind =
  | 'authentication' // 401: the secret is wrong (an unknown user name or integration code answers 500, see below)
  | 'permission' // 403: the API user's security level may not do this
  | 'not_found' // 404
  | 'throttled' // 429, or Sync 365's own limiter refusing to go over the database's hourly threshold
  | 'validation' // 400/409/422: Autotask refused the data
  | 'server' // 5xx
  | 'network' // no HTTP answer
  | 'timeout'
  | 'malformed_response';

export interface AutotaskApiErrorInit {
  kind: AutotaskErrorKind;
  status: number; // 0 without an HTTP answer
  message: string;
  autotaskMessages?: string[];
  fix: string;
  retryAfterSeconds?: number;
  attempts?: number;
  method?: string;
  path?: string;
}

export class AutotaskApiError extends Error {
  readonly kind: AutotaskErrorKind;
  readonly status: number;
  readonly autotaskMessages: string[];
  readonly fix: string;
  readonly retryAfterSeconds?: number;
  readonly attempts: number;
  readonly method?: string;
  readonly path?: string;

  constructor(init: AutotaskApiErrorInit) {
    super(init.message);
    this.name = new.target.name;
    this.kind = init.kind;
    this.status = init.status;
    this.autotaskMessages = init.autotaskMessages ?? [];
    this.fix = init.fix;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts ?? 1;
    this.method = init.method;
    this.path = init.path;
  }

  // Autotask's own words, for a person: its messages joined, or the status when it sent none.
  get autotaskMessage(): string {
    return this.autotaskMessages.length > 0 ? this.autotaskMessages.join(' ') : `HTTP ${this.status}`;
  }
}

export class AutotaskAuthenticationError extends AutotaskApiError {}
export class AutotaskPermissionError extends AutotaskApiError {}
export class AutotaskNotFoundError extends AutotaskApiError {}
export class AutotaskThrottledError extends AutotaskApiError {}
export class AutotaskValidationError extends AutotaskApiError {}

const FIXES: Record<AutotaskErrorKind, string> = {
  authentication:
    'Autotask did not accept the API user\u2019s secret. In Autotask, open Admin \u203a Resources (Users) \u203a the API user, generate a new secret, and save it in Sync 365.',
  permission:
    'The Autotask API user\u2019s security level does not allow this. In Autotask, give the API user the "API User (system)" security level (or one that may read companies and contracts and edit contracts), then try again.',
  not_found:
    'Autotask has no such record. It may have been deleted or merged in Autotask: check the mapping and choose the company, contract or service again.',
  throttled:
    'Your Autotask database is close to or over its limit of API requests per hour, which all integrations share. Sync 365 waits and tries again; if this persists, see Admin \u203a Extensions & Integrations \u203a API Activity by Hour in Autotask for the integration using most requests.',
  validation:
    'Autotask refused the change. Its message says which value to correct; fix it in Sync 365\u2019s mapping or in Autotask, then sync again.',
  server:
    'Autotask failed to process the request. If every call fails like this, check the API user name and the API tracking identifier (integration code): Autotask answers an unknown one with this error instead of "unauthorized". Otherwise try again later.',
  network: 'Sync 365 could not reach Autotask. Check the network and the Autotask zone URL, then try again.',
  timeout: 'Autotask did not answer in time. Try again later.',
  malformed_response: 'Autotask sent an answer Sync 365 could not read. Try again later.',
};

export function fixFor(kind: AutotaskErrorKind): string {
  return FIXES[kind];
}

export function kindForStatus(status: number): AutotaskErrorKind {
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server';
  return 'validation';
}

const CLASSES: Partial<Record<AutotaskErrorKind, typeof AutotaskApiError>> = {
  authentication: AutotaskAuthenticationError,
  permission: AutotaskPermissionError,
  not_found: AutotaskNotFoundError,
  throttled: AutotaskThrottledError,
  validation: AutotaskValidationError,
};

export function createAutotaskError(init: Omit<AutotaskApiErrorInit, 'fix'> & { fix?: string }): AutotaskApiError {
  const Class = CLASSES[init.kind] ?? AutotaskApiError;
  return new Class({ ...init, fix: init.fix ?? fixFor(init.kind) });
}

// Autotask's error body: {"errors":["…"]}; tolerate objects with a message, and ASP.NET's {"Message":"…"} (405).
export function parseAutotaskErrors(text: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    return trimmed && trimmed.length <= 500 && !trimmed.startsWith('<') ? [trimmed] : [];
  }
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  const errors = record.errors ?? record.Errors;
  if (Array.isArray(errors)) {
    return errors
      .map((entry) =>
        typeof entry === 'string'
          ? entry
          : typeof entry === 'object' && entry !== null
            ? String((entry as Record<string, unknown>).message ?? '')
            : '',
      )
      .filter((message) => message.length > 0);
  }
  const message = record.message ?? record.Message;
  return typeof message === 'string' ? [message] : [];
}
