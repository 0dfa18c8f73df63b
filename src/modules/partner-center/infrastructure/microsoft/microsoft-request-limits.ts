import { AdaptiveConcurrency } from '../../../../../libs/microsoft/src';

// Requests in flight per Microsoft limit key, learnt from its answers (libs/microsoft AdaptiveConcurrency), shared by
// every adapter of this module: Microsoft counts the import's reads, the app provisioning, the Direct CSP test and
// seat changes against the same partner (FACTS §2.12), so the window has to count them all — an adapter on a
// limiter of its own pushed the partner's key past what Microsoft tolerates ("too many requests in flight").
export class MicrosoftRequestLimits {
  readonly concurrency: AdaptiveConcurrency | undefined;

  // `perLimit`: the ceiling per key (MICROSOFT_CONCURRENCY_PER_LIMIT); 0 or absent: no bound beyond the callers' own.
  constructor(perLimit?: number) {
    this.concurrency = perLimit ? new AdaptiveConcurrency({ max: perLimit }) : undefined;
  }
}
