// Direct CSP: tells how Microsoft bills the partner (detected after consent; confirmed by a partner admin's Direct
// CSP test), and the per-tenant features that confirmation unlocks (Partner Center subscription IDs matched to the
// tenant's own subscriptions, the end-user self-service portal switch). Handles consent.granted; no events.
// SelfServicePortals is its read facade (where the portal is on).
export { DirectCspModule } from './direct-csp.module';
export { SelfServicePortals } from './contracts/self-service-portals';
