import type { Request } from 'express';
import { FaultRegistry as EmulatorFaultRegistry, type FaultRule as EmulatorFaultRule } from '../../../emulator-kit/src';
import { decodeJwt } from '../identity/jwt';

// The fault rules of the control API (POST /__emulator/faults), kept apart from the route hook that applies them
// (faults.ts) so the emulator's state holds them without depending on the routes. Paths are globs over the request
// path; kind status answers with the service's own error body.
export type FaultKind = 'status' | 'reset' | 'malformed' | 'latency';

export interface FaultRule extends EmulatorFaultRule<FaultKind> {
  customerId?: string; // only requests about this customer (in the path, the token's tid, or the {tenant})
}

export class FaultRegistry extends EmulatorFaultRegistry<FaultRule, Request> {
  constructor() {
    super({
      kinds: ['status', 'reset', 'malformed', 'latency'],
      pathWording: 'a path glob',
      pathExample: '/v1/customers/*/subscribedskus',
      stringFields: ['customerId'],
      alsoMatches: aboutCustomer,
    });
  }
}

function aboutCustomer(rule: FaultRule, req: Request): boolean {
  if (!rule.customerId) return true;
  const wanted = rule.customerId.toLowerCase();
  if (req.path.toLowerCase().split('/').includes(wanted)) return true;
  const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const tid = token ? decodeJwt(token)?.claims.tid : undefined;
  return typeof tid === 'string' && tid.toLowerCase() === wanted;
}
