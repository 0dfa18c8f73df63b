import { startOnDemoPort } from './demo-port';
import { AUTOTASK_DEMO_CREDENTIALS, startAutotaskEmulator, type RunningAutotaskEmulator } from '../../libs/autotask-emulator/src';

// Demo mode: the local Autotask PSA (libs/autotask-emulator) beside the local Microsoft, with Contoso Partners'
// demo database, so Autotask can be connected in Settings with the printed credentials. Nothing in the product
// depends on it: Sync 365 reaches it only through the URL a person enters.
export interface DemoAutotask {
  emulator: RunningAutotaskEmulator;
  describe(): string[];
}

// port: AUTOTASK_EMULATOR_PORT (3481).
export async function startDemoAutotask(port: number): Promise<DemoAutotask> {
  const emulator = await startOnDemoPort('the local Autotask', 'AUTOTASK_EMULATOR_PORT', port, (listenOn) =>
    startAutotaskEmulator({ port: listenOn }),
  );
  return {
    emulator,
    describe: () => [
      `Local Autotask:     ${emulator.zoneUrl} (emulator; zone discovery at ${emulator.discoveryUrl}/V1.0/ZoneInformation)`,
      `  API user ${AUTOTASK_DEMO_CREDENTIALS.userName}, secret ${AUTOTASK_DEMO_CREDENTIALS.secret}, integration code ${AUTOTASK_DEMO_CREDENTIALS.integrationCode}`,
    ],
  };
}
