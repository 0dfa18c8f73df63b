import { FaultRegistry as EmulatorFaultRegistry, type FaultRule as EmulatorFaultRule } from '../../../emulator-kit/src';

// Fault rules (POST /__autotask/faults or emulator.faults.add): which requests they hit and what happens to them.
// Paths are globs over the path after /ATServicesRest; kind status answers with Autotask's {"errors":[…]} body.
export type FaultKind = 'status' | 'latency' | 'reset' | 'malformed';

export interface FaultRule extends EmulatorFaultRule<FaultKind> {
  message?: string; // the error message for kind status
}

export type FaultInput = Partial<Omit<FaultRule, 'id' | 'hits' | 'remaining'>> & { path: string; count?: number };

export class FaultRegistry extends EmulatorFaultRegistry<FaultRule> {
  constructor() {
    super({
      kinds: ['status', 'latency', 'reset', 'malformed'],
      kindsWording: 'status, latency, reset or malformed',
      pathExample: '/V1.0/ContractServiceAdjustments',
      stringFields: ['message'],
    });
  }
}
