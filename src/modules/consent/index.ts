// Consent: the organization's connected Partner Center accounts (delegated admins), the consent flow, the
// encrypted token vault and consent health. Publishes consent.granted, consent.reconsent-needed and
// consent.delegated-admin-removed.
export { ConsentModule } from './consent.module';
export { MicrosoftAccessTokens } from './contracts/microsoft-access-tokens';
export {
  DelegatedAdminQueries,
  PartnerTypeRecords,
  partnerTypeLabel,
  type DelegatedAdminSummary,
  type PartnerType,
} from './contracts/delegated-admin-queries';
export { CustomerTokenRefusedError, ReconsentRequiredError, type CustomerRefusalKind } from './domain/consent.errors';
export * from './events';
export { RefreshTokenAges } from './contracts/refresh-token-ages';
