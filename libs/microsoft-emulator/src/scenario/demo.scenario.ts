import type { AppRegistration, Scenario, User } from './scenario';

export const DEMO_PASSWORD = 'Demo-Password-1';
// Every MFA user of the emulator accepts this one-time code.
export const DEMO_MFA_CODE = '123456';

// Fixed ids so tokens, database rows and screenshots stay comparable from run to run.
export const DEMO_IDS = {
  contosoTenant: '8ca35be1-c5b5-4bde-9cda-dbed6d7d1ea7',
  contosoAdmin: 'd19e619a-5822-415d-a7c1-758933063733',
  contosoServiceAccount: '93ec71b2-5046-4a2f-8caa-cdc9961dce0a',
  contosoNoMfa: 'bf665434-30d1-461c-8b60-9c8565b933ab',
  contosoSales: 'd89cfbb1-0a3e-4fda-a555-32c0e64d130e',
  fabrikamTenant: '2b0f0373-978f-487f-9fde-1ca9c3a1b100',
  fabrikamAdmin: 'c24100a6-4df4-4c4b-9555-9fd026d9b31f',
  fabrikamServiceAccount: '0b72490a-498b-41db-9fe9-48df709c1b51',
  sync365App: '05140dd9-f1b6-4b32-ad59-2aa03e38dac4',
} as const;

// Demo only: this "secret" is public, it only opens the local emulator.
export const DEMO_CLIENT_SECRET = 'Demo8Q~sync365-local-emulator-secret-not-a-real-secret';

const CONTOSO_DOMAIN = 'contoso-partners.example';
const FABRIKAM_DOMAIN = 'fabrikam-reseller.example';

export function demoScenario(): Scenario {
  return {
    name: 'demo',
    tenants: [
      { id: DEMO_IDS.contosoTenant, displayName: 'Contoso Partners', defaultDomain: CONTOSO_DOMAIN, kind: 'partner' },
      { id: DEMO_IDS.fabrikamTenant, displayName: 'Fabrikam Reseller', defaultDomain: FABRIKAM_DOMAIN, kind: 'partner' },
    ],
    users: [
      user(DEMO_IDS.contosoAdmin, DEMO_IDS.contosoTenant, `admin@${CONTOSO_DOMAIN}`, 'Contoso', 'Admin', true, ['GlobalAdministrator']),
      user(DEMO_IDS.contosoServiceAccount, DEMO_IDS.contosoTenant, `s365@${CONTOSO_DOMAIN}`, 'Sync 365', 'Service Account', true, ['AdminAgent']),
      user(DEMO_IDS.contosoNoMfa, DEMO_IDS.contosoTenant, `nomfa@${CONTOSO_DOMAIN}`, 'No MFA', 'Agent', false, ['AdminAgent']),
      user(DEMO_IDS.contosoSales, DEMO_IDS.contosoTenant, `sales@${CONTOSO_DOMAIN}`, 'Contoso', 'Sales', true, ['SalesAgent']),
      user(DEMO_IDS.fabrikamAdmin, DEMO_IDS.fabrikamTenant, `admin@${FABRIKAM_DOMAIN}`, 'Fabrikam', 'Admin', true, ['GlobalAdministrator']),
      user(DEMO_IDS.fabrikamServiceAccount, DEMO_IDS.fabrikamTenant, `s365@${FABRIKAM_DOMAIN}`, 'Sync 365', 'Service Account', true, ['AdminAgent']),
    ],
  };
}

export function sync365DemoApp(appBaseUrl: string): AppRegistration {
  const base = appBaseUrl.replace(/\/+$/, '');
  return {
    clientId: DEMO_IDS.sync365App,
    clientSecret: DEMO_CLIENT_SECRET,
    displayName: 'Sync 365',
    redirectUris: [`${base}/auth/callback`, `${base}/consent/callback`],
  };
}

function user(
  id: string,
  tenantId: string,
  userPrincipalName: string,
  givenName: string,
  surname: string,
  mfa: boolean,
  roles: string[],
): User {
  return {
    id,
    tenantId,
    userPrincipalName,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    password: DEMO_PASSWORD,
    mfa,
    roles,
  };
}
