// A failed call to a Microsoft API, keeping Microsoft's own status, code and message so callers can map them
// to plain-language causes. Never carries the access token or the request body.
export class MicrosoftApiError extends Error {
  constructor(
    readonly service: 'graph' | 'partner-center' | 'login',
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'MicrosoftApiError';
  }
}
