import { DomainError } from '../../../../shared/domain/domain-error';

// The partner API's authentication answers. They carry the headers RFC 6750 and RFC 9110 ask for; the error
// filter sends them with the problem+json body.
const REALM = 'Bearer realm="Sync 365"';

export class ApiUnauthenticatedError extends DomainError {
  readonly code = 'API.UNAUTHENTICATED';
  readonly headers: Record<string, string>;
  constructor(reason: 'missing' | 'invalid') {
    if (reason === 'missing') {
      super(
        'This request carries no API key.',
        'Send the header Authorization: Bearer <key>, with a key created under Settings → API keys.',
      );
      this.headers = { 'WWW-Authenticate': REALM };
    } else {
      super(
        'The API key was not recognised: it is malformed, unknown or revoked.',
        'Check that the whole key was copied (it starts with s365_). If it was revoked or lost, create a new one under Settings → API keys.',
      );
      this.headers = { 'WWW-Authenticate': `${REALM}, error="invalid_token"` };
    }
  }
}

export class ApiScopeForbiddenError extends DomainError {
  readonly code = 'API.SCOPE_FORBIDDEN';
  readonly headers: Record<string, string>;
  constructor(readonly scope: string) {
    super(
      `This API key does not have the scope ${scope}, which this request needs.`,
      `Create a key with the ${scope} permission under Settings → API keys (a key's permissions cannot be changed later).`,
    );
    this.headers = { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` };
  }
}

export class ApiRateLimitedError extends DomainError {
  readonly code = 'API.RATE_LIMITED';
  readonly headers: Record<string, string>;
  constructor(limitPerMinute: number, retryAfterSeconds: number) {
    super(
      `This API key made more than ${limitPerMinute} requests this minute.`,
      `Wait ${retryAfterSeconds} second(s) (the Retry-After header) and send the request again; spread requests out or use fewer, larger pages.`,
    );
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}
