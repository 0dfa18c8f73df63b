import { DEMO_CONNECTWISE_LIMITED_MEMBER, startConnectWiseEmulator, type RunningConnectWiseEmulator } from '../../libs/connectwise-psa-emulator/src';
import { ConfigurationError } from './app-config';

// Demo mode: a local ConnectWise PSA beside the local Microsoft, with Contoso's customers, agreements and catalog
// (libs/connectwise-psa-emulator). Nothing in the product depends on it: a partner connects it in the app like a real
// ConnectWise, with the site URL and the keys printed at start-up. Its world is kept in .data/connectwise.
export const DEFAULT_CONNECTWISE_EMULATOR_PORT = 3444;

export function connectWiseEmulatorPort(env: NodeJS.ProcessEnv): number {
  const text = env.CONNECTWISE_EMULATOR_PORT?.trim();
  if (!text) return DEFAULT_CONNECTWISE_EMULATOR_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigurationError([`CONNECTWISE_EMULATOR_PORT must be a port number (0-65535), got "${text}".`]);
  return port;
}

// dataDir: where its world is kept across restarts (what a sync wrote stays written), e.g. .data/connectwise.
export async function startDemoConnectWise(env: NodeJS.ProcessEnv = process.env, dataDir?: string): Promise<RunningConnectWiseEmulator> {
  const port = connectWiseEmulatorPort(env);
  try {
    return await startConnectWiseEmulator({ port, dataDir });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigurationError([`Port ${port} of the local ConnectWise is already in use. Stop the other program or set CONNECTWISE_EMULATOR_PORT to a free port.`]);
    }
    throw error;
  }
}

// What `npm start` prints so a person can connect it (Settings → Billing → PSA).
export function describeDemoConnectWise(emulator: RunningConnectWiseEmulator): string[] {
  const credentials = emulator.credentials!;
  return [
    `Local ConnectWise: ${emulator.url} (emulator; site URL to enter when connecting ConnectWise PSA)`,
    `  company ID ${credentials.companyId} · public key ${credentials.publicKey} · private key ${credentials.privateKey} · client ID ${credentials.clientId}`,
    `  (an API member without agreement access, to see the refusal: public key ${DEMO_CONNECTWISE_LIMITED_MEMBER.publicKey}, private key ${DEMO_CONNECTWISE_LIMITED_MEMBER.privateKey})`,
    `  invoice run and write journal for checking a sync: POST ${emulator.url}/__emulator/invoice-run · GET ${emulator.url}/__emulator/journal`,
  ];
}
