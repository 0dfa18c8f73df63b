import { resolve } from 'node:path';
import { launch } from '../../emulator-kit/src';
import { startEmulator } from './emulator';
import { DEMO_MFA_CODE, DEMO_PASSWORD, demoScenario, sync365DemoApp } from './scenario/demo.scenario';
import { generateScenario } from './scenario/scenario-generator';
import { ensureCertificateAuthority } from './tls/certificate-authority';

// `npm run emulator`: the local Microsoft on its own, with the demo scenario (or a generated world with
// EMULATOR_CUSTOMERS=N [EMULATOR_SEED=S]).
const app = sync365DemoApp(process.env.APP_BASE_URL ?? 'http://localhost:3000');

launch(
  'microsoft-emulator',
  'the emulator',
  async () => {
    const ca = ensureCertificateAuthority('.data/ca');
    const generated = process.env.EMULATOR_CUSTOMERS;
    const scenario = generated
      ? generateScenario({ customers: Number(generated), seed: Number(process.env.EMULATOR_SEED ?? 1) })
      : demoScenario();
    const emulator = await startEmulator({
      ca,
      port: Number(process.env.EMULATOR_PORT ?? 3443),
      scenario,
      apps: [app],
      dataDir: '.data/emulator',
    });
    return { ...emulator, scenario, ca };
  },
  ({ url, scenario, ca }) => {
    console.log(`Local Microsoft emulator (not Microsoft) listening on ${url}`);
    console.log(`  trust its CA with NODE_EXTRA_CA_CERTS=${resolve(ca.certPath)}`);
    console.log(`  discovery: ${url}/common/v2.0/.well-known/openid-configuration`);
    console.log(`  Partner Center: ${url}/v1/...   Graph: ${url}/v1.0/...   control API: ${url}/__emulator/...`);
    console.log(`  app "${app.displayName}" client id ${app.clientId}, redirect URIs ${app.redirectUris.join(', ')}`);
    console.log(`  scenario "${scenario.name}": ${scenario.customers?.length ?? 0} customers`);
    for (const tenant of scenario.tenants) {
      const customers = scenario.customers?.filter((customer) => customer.partnerIds.includes(tenant.id)).length ?? 0;
      console.log(
        `    ${tenant.displayName.padEnd(24)} ${String(tenant.partnerType ?? '').padEnd(17)} ${customers} customers${tenant.requiresAdminConsent ? ', admin consent required' : ''}`,
      );
    }
    console.log(`  demo accounts (password ${DEMO_PASSWORD}, MFA code ${DEMO_MFA_CODE}):`);
    for (const user of scenario.users) {
      // Partner staff, or people of a customer directory (the licence portal's users).
      const tenant =
        scenario.tenants.find((candidate) => candidate.id === user.tenantId)?.displayName ??
        scenario.customers?.find((candidate) => candidate.id === user.tenantId)?.companyName;
      const roles = user.roles.length > 0 ? user.roles.join(', ') : 'customer user';
      console.log(
        `    ${user.userPrincipalName.padEnd(38)} ${tenant ?? 'no directory in this world'}, ${roles}${user.mfa ? ', MFA' : ', no MFA'}`,
      );
    }
  },
);
