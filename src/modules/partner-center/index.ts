// Partner Center: the anti-corruption layer between Sync 365 and Microsoft's Partner Center and Graph APIs.
// Reads customers, licences and GDAP access, and how the partner is billed, as domain values through a delegated
// admin's consent; changes subscription quantities (SubscriptionChanges). No events.
export { PartnerCenterModule } from './partner-center.module';
export * from './contracts/partner-center-directory';
export * from './contracts/partner-center.errors';
export * from './contracts/partner-program';
export * from './contracts/subscription-changes';
export * from './contracts/customer-app-provisioning';
