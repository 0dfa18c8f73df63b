import { startAutotaskEmulator } from './emulator';
import { AUTOTASK_DEMO_CREDENTIALS, AUTOTASK_READ_ONLY_CREDENTIALS, autotaskDemoScenario } from './scenario/demo.scenario';

// `node dist/libs/autotask-emulator/src/main.js`: the local Autotask on its own with the demo database
// (AUTOTASK_EMULATOR_PORT, default 3481).
async function main(): Promise<void> {
  const port = Number(process.env.AUTOTASK_EMULATOR_PORT ?? 3481);
  const scenario = autotaskDemoScenario();
  const emulator = await startAutotaskEmulator({ port, scenario });
  console.log(`Local Autotask emulator (not Autotask) listening on ${emulator.url}`);
  console.log(`  zone discovery: ${emulator.discoveryUrl}/V1.0/ZoneInformation?user=${AUTOTASK_DEMO_CREDENTIALS.userName}`);
  console.log(`  REST API:       ${emulator.zoneUrl}/V1.0/...   control API: ${emulator.url}/__autotask/...`);
  console.log(`  API user ${AUTOTASK_DEMO_CREDENTIALS.userName}, secret ${AUTOTASK_DEMO_CREDENTIALS.secret}, integration code ${AUTOTASK_DEMO_CREDENTIALS.integrationCode}`);
  console.log(`  read-only API user ${AUTOTASK_READ_ONLY_CREDENTIALS.userName} (same secret and code): writes answer 403`);
  console.log(`  ${scenario.companies.length} companies, ${scenario.contracts.length} contracts, ${scenario.services.length} services, ${scenario.contractServices.length} contract services`);
  const stop = (signal: string) => {
    console.log(`${signal}: stopping the Autotask emulator`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`autotask-emulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
