export { startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator';
export { ensureCertificateAuthority, issueServerCertificate, type CertificateAuthority } from './tls/certificate-authority';
export type { AppRegistration, Scenario, Tenant, User } from './scenario/scenario';
export { demoScenario, sync365DemoApp, DEMO_PASSWORD, DEMO_MFA_CODE, DEMO_IDS } from './scenario/demo.scenario';
export { EmulatorBrowser, type BrowserResponse, type HtmlForm } from './testing/emulator-browser';
export { signInThroughForms, SignInError, type SignInOptions, type SignInResult } from './testing/sign-in-through-forms';
export { decodeJwt } from './identity/jwt';
