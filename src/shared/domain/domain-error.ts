// Domain and application code throw these; one filter turns the stable `code` into an HTTP status and a
// friendly page or RFC 7807 body. `message` is written for the person who has to act on it.
export abstract class DomainError extends Error {
  abstract readonly code: string;
  // Extra words for the person: what to do next. Shown on error pages and as `fix` in problem JSON.
  readonly fix?: string;

  constructor(message: string, fix?: string) {
    super(message);
    this.name = new.target.name;
    this.fix = fix;
  }
}
