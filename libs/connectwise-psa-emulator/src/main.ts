import { launch } from '../../emulator-kit/src';
import { startConnectWiseEmulator } from './emulator';
import { DEMO_CONNECTWISE_LIMITED_MEMBER } from './scenario/demo.scenario';

// `npm run emulator:connectwise` (or node dist/libs/connectwise-psa-emulator/src/main.js): the local ConnectWise on
// its own, with the demo scenario, its world kept in .data/connectwise. CONNECTWISE_EMULATOR_PORT (default 3444).
launch(
  'connectwise-psa-emulator',
  'the ConnectWise emulator',
  () => startConnectWiseEmulator({ port: Number(process.env.CONNECTWISE_EMULATOR_PORT ?? 3444), dataDir: '.data/connectwise' }),
  (emulator) => {
    const credentials = emulator.credentials!;
    console.log(`Local ConnectWise PSA emulator (not ConnectWise) listening on ${emulator.url}`);
    console.log(`  site: ${emulator.url}   API: ${emulator.apiBaseUrl}   control API: ${emulator.url}/__emulator/...`);
    console.log(
      `  company ID ${credentials.companyId}, public key ${credentials.publicKey}, private key ${credentials.privateKey}, client ID ${credentials.clientId}`,
    );
    console.log(
      `  an API member without agreement access: public key ${DEMO_CONNECTWISE_LIMITED_MEMBER.publicKey}, private key ${DEMO_CONNECTWISE_LIMITED_MEMBER.privateKey}`,
    );
    console.log(
      `  ${emulator.state.companies.length} companies, ${emulator.state.agreements.length} agreements, ${emulator.state.catalog.length} catalog products, ${emulator.state.additions.length} additions`,
    );
  },
);
