import { FaultRegistry as EmulatorFaultRegistry, type FaultRule as EmulatorFaultRule } from '../../../emulator-kit/src';

// Injected failures (POST /__emulator/faults or emulator.addFault):
// - status: answer this HTTP status with ConnectWise's body for it (401, 404, 429 + Retry-After, 500, 503…);
// - badAuth404: the 404 ConnectWise cloud gives for wrong credentials, whatever the request's credentials;
// - reset: drop the connection without an answer;
// - latency: only delay (latencyMs also delays any other kind).
// Paths are globs over the path below /apis/3.0 (or the full path for /login/…).
export type FaultKind = 'status' | 'badAuth404' | 'reset' | 'latency';

export type FaultRule = EmulatorFaultRule<FaultKind>;

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'hits' | 'remaining'>> & { path: string; count?: number };

export class FaultRegistry extends EmulatorFaultRegistry<FaultRule> {
  constructor() {
    super({ kinds: ['status', 'badAuth404', 'reset', 'latency'], pathExample: '/finance/agreements/*/additions' });
  }
}
