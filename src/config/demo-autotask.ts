import { AUTOTASK_DEMO_CREDENTIALS, startAutotaskEmulator, type RunningAutotaskEmulator } from '../../libs/autotask-emulator/src';

// Demo mode: the local Autotask PSA (libs/autotask-emulator) beside the local Microsoft, with Contoso Partners'
// demo database, so Autotask can be connected in Settings with the printed credentials. Nothing in the product
// depends on it: Sync 365 reaches it only through the URL a person enters.
export const DEFAULT_AUTOTASK_EMULATOR_PORT = 3481;

export interface DemoAutotask {
  emulator: RunningAutotaskEmulator;
  describe(): string[];
}

export async function startDemoAutotask(env: NodeJS.ProcessEnv = process.env): Promise<DemoAutotask> {
  const wanted = env.AUTOTASK_EMULATOR_PORT === undefined ? DEFAULT_AUTOTASK_EMULATOR_PORT : Number(env.AUTOTASK_EMULATOR_PORT);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new Error(`AUTOTASK_EMULATOR_PORT must be a port number (0-65535), not "${env.AUTOTASK_EMULATOR_PORT}".`);
  let emulator: RunningAutotaskEmulator;
  try {
    emulator = await startAutotaskEmulator({ port: wanted });
  } catch (error) {
    // Another program has the port: the demo Autotask is optional, so take any free port and say which.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    emulator = await startAutotaskEmulator({ port: 0 });
  }
  return {
    emulator,
    describe: () => [
      `Local Autotask:     ${emulator.zoneUrl} (emulator; zone discovery at ${emulator.discoveryUrl}/V1.0/ZoneInformation)`,
      `  API user ${AUTOTASK_DEMO_CREDENTIALS.userName}, secret ${AUTOTASK_DEMO_CREDENTIALS.secret}, integration code ${AUTOTASK_DEMO_CREDENTIALS.integrationCode}`,
    ],
  };
}
