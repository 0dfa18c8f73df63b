import { createServer } from 'node:net';
import { AutotaskClient } from '../../libs/autotask/src';
import { AUTOTASK_DEMO_CREDENTIALS } from '../../libs/autotask-emulator/src';
import { startDemoAutotask } from '../../src/config/demo-autotask';

// What `npm start` in demo mode starts beside the local Microsoft (src/main.ts).
describe('the demo launcher\u2019s local Autotask', () => {
  it('serves the demo database to the printed credentials and prints where', async () => {
    const demo = await startDemoAutotask(0);
    try {
      const lines = demo.describe().join('\n');
      expect(lines).toContain(demo.emulator.zoneUrl);
      expect(lines).toContain(AUTOTASK_DEMO_CREDENTIALS.userName);
      expect(lines).toContain(AUTOTASK_DEMO_CREDENTIALS.secret);
      expect(lines).toContain(AUTOTASK_DEMO_CREDENTIALS.integrationCode);

      const { client } = await AutotaskClient.connect({ credentials: AUTOTASK_DEMO_CREDENTIALS, discoveryUrl: demo.emulator.discoveryUrl });
      expect(await client.findCompanies({ name: 'Adatum Corporation' }).all()).toHaveLength(1);
    } finally {
      await demo.emulator.close();
    }
  });

  it('says which variable to change when its port is taken (its URL is what a person saved in Sync 365)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(startDemoAutotask(taken)).rejects.toThrow(
        `Port ${taken} of the local Autotask is already in use. Stop the other program or set AUTOTASK_EMULATOR_PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
  });
});
