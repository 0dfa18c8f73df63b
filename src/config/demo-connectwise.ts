import {
  DEMO_CONNECTWISE_LIMITED_MEMBER,
  startConnectWiseEmulator,
  type RunningConnectWiseEmulator,
} from '../../libs/connectwise-psa-emulator/src';
import { startOnDemoPort } from './demo-port';

// Demo mode: a local ConnectWise PSA beside the local Microsoft, with Contoso's customers, agreements and catalog
// (libs/connectwise-psa-emulator). Nothing in the product depends on it: a partner connects it in the app like a real
// ConnectWise, with the site URL and the keys printed at start-up. Its world is kept in .data/connectwise.
// port: CONNECTWISE_EMULATOR_PORT (3444). dataDir: where its world is kept across restarts (what a sync wrote stays
// written), e.g. .data/connectwise.
export interface DemoConnectWise {
  emulator: RunningConnectWiseEmulator;
  describe(): string[];
}

export async function startDemoConnectWise(port: number, dataDir?: string): Promise<DemoConnectWise> {
  const emulator = await startOnDemoPort('the local ConnectWise', 'CONNECTWISE_EMULATOR_PORT', port, (listenOn) =>
    startConnectWiseEmulator({ port: listenOn, dataDir }),
  );
  return { emulator, describe: () => describeDemoConnectWise(emulator) };
}

// What `npm start` prints so a person can connect it (Settings → Billing → PSA).
function describeDemoConnectWise(emulator: RunningConnectWiseEmulator): string[] {
  const credentials = emulator.credentials!;
  return [
    `Local ConnectWise: ${emulator.url} (emulator; site URL to enter when connecting ConnectWise PSA)`,
    `  company ID ${credentials.companyId} · public key ${credentials.publicKey} · private key ${credentials.privateKey} · client ID ${credentials.clientId}`,
    `  (an API member without agreement access, to see the refusal: public key ${DEMO_CONNECTWISE_LIMITED_MEMBER.publicKey}, private key ${DEMO_CONNECTWISE_LIMITED_MEMBER.privateKey})`,
    `  invoice run and write journal for checking a sync: POST ${emulator.url}/__emulator/invoice-run · GET ${emulator.url}/__emulator/journal`,
  ];
}
