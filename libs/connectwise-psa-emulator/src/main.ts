import { startConnectWiseEmulator } from './emulator';
import { DEMO_CONNECTWISE_LIMITED_MEMBER } from './scenario/demo.scenario';

// `npm run emulator:connectwise` (or node dist/libs/connectwise-psa-emulator/src/main.js): the local ConnectWise on
// its own, with the demo scenario, its world kept in .data/connectwise. CONNECTWISE_EMULATOR_PORT (default 3444).
async function main(): Promise<void> {
  const port = Number(process.env.CONNECTWISE_EMULATOR_PORT ?? 3444);
  const emulator = await startConnectWiseEmulator({ port, dataDir: '.data/connectwise' });
  const credentials = emulator.credentials!;
  console.log(`Local ConnectWise PSA emulator (not ConnectWise) listening on ${emulator.url}`);
  console.log(`  site: ${emulator.url}   API: ${emulator.apiBaseUrl}   control API: ${emulator.url}/__emulator/...`);
  console.log(`  company ID ${credentials.companyId}, public key ${credentials.publicKey}, private key ${credentials.privateKey}, client ID ${credentials.clientId}`);
  console.log(`  an API member without agreement access: public key ${DEMO_CONNECTWISE_LIMITED_MEMBER.publicKey}, private key ${DEMO_CONNECTWISE_LIMITED_MEMBER.privateKey}`);
  console.log(`  ${emulator.state.companies.length} companies, ${emulator.state.agreements.length} agreements, ${emulator.state.catalog.length} catalog products, ${emulator.state.additions.length} additions`);

  const stop = (signal: string) => {
    console.log(`${signal}: stopping the ConnectWise emulator`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`connectwise-psa-emulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
