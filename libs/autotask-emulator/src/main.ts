import { launch } from '../../emulator-kit/src';
import { startAutotaskEmulator } from './emulator';
import { AUTOTASK_DEMO_CREDENTIALS, AUTOTASK_READ_ONLY_CREDENTIALS, autotaskDemoScenario } from './scenario/demo.scenario';

// `node dist/libs/autotask-emulator/src/main.js`: the local Autotask on its own with the demo database
// (AUTOTASK_EMULATOR_PORT, default 3481).
launch(
  'autotask-emulator',
  'the Autotask emulator',
  async () => {
    const scenario = autotaskDemoScenario();
    return { ...(await startAutotaskEmulator({ port: Number(process.env.AUTOTASK_EMULATOR_PORT ?? 3481), scenario })), scenario };
  },
  ({ scenario, ...emulator }) => {
    console.log(`Local Autotask emulator (not Autotask) listening on ${emulator.url}`);
    console.log(`  zone discovery: ${emulator.discoveryUrl}/V1.0/ZoneInformation?user=${AUTOTASK_DEMO_CREDENTIALS.userName}`);
    console.log(`  REST API:       ${emulator.zoneUrl}/V1.0/...   control API: ${emulator.url}/__autotask/...`);
    console.log(
      `  API user ${AUTOTASK_DEMO_CREDENTIALS.userName}, secret ${AUTOTASK_DEMO_CREDENTIALS.secret}, integration code ${AUTOTASK_DEMO_CREDENTIALS.integrationCode}`,
    );
    console.log(`  read-only API user ${AUTOTASK_READ_ONLY_CREDENTIALS.userName} (same secret and code): writes answer 403`);
    console.log(
      `  ${scenario.companies.length} companies, ${scenario.contracts.length} contracts, ${scenario.services.length} services, ${scenario.contractServices.length} contract services`,
    );
  },
);
