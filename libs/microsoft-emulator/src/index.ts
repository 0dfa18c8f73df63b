export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator';
export { ensureCertificateAuthority, issueServerCertificate, type CertificateAuthority } from './tls/certificate-authority';
export type {
  Address,
  AppRegistration,
  Customer,
  ExternalSubscription,
  GdapAccessAssignment,
  GdapRelationship,
  GdapStatus,
  IndirectRelationship,
  Invoice,
  PartnerType,
  Scenario,
  SecurityGroup,
  ServicePlan,
  Sku,
  SubscribedSku,
  Subscription,
  SubscriptionStatus,
  Tenant,
  User,
} from './scenario/scenario';
export {
  demoScenario,
  sync365DemoApp,
  DEMO_PASSWORD,
  DEMO_MFA_CODE,
  DEMO_IDS,
  DEMO_DOMAINS,
  DEMO_MPN_IDS,
  DEMO_CUSTOMERS,
  DEMO_CUSTOMER_USERS,
  DEMO_QUIRKS,
  type DemoCustomer,
} from './scenario/demo.scenario';
export { generateScenario, type GenerateScenarioOptions } from './scenario/scenario-generator';
export { SKU_CATALOG, ROLE_IDS, type SkuKey } from './scenario/sku-catalog';
export type { EmulatorSettings, ThrottleLimit } from './state/emulator-settings';
export { EmulatorBrowser, type BrowserResponse, type HtmlForm } from './testing/emulator-browser';
export { signInThroughForms, SignInError, type SignInOptions, type SignInResult } from './testing/sign-in-through-forms';
export { decodeJwt } from './identity/jwt';
