// Consent: the partner's connected Partner Center accounts (delegated admins). Today it owns the Delegated
// Admin tab and its prerequisites checklist; the consent flow and token vault come next.
export { ConsentModule } from './consent.module';
