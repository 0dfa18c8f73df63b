import { createServer } from 'node:net';
import { AutotaskClient } from '../../libs/autotask/src';
import { AUTOTASK_DEMO_CREDENTIALS } from '../../libs/autotask-emulator/src';
import { startDemoAutotask } from '../../src/config/demo-autotask';

// What `npm start` in demo mode starts beside the local Microsoft (src/main.ts).
describe('the demo launcher\u2019s local Autotask', () => {
  it('serves the demo database to the printed credentials and prints where', async () => {
    const demo = await startDemoAutotask({ AUTOTASK_EMULATOR_PORT: '0' });
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

  it('takes a free port when its port is taken, and refuses a port that is not one', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const demo = await startDemoAutotask({ AUTOTASK_EMULATOR_PORT: String(taken) });
      expect(new URL(demo.emulator.url).port).not.toBe(String(taken));
      await demo.emulator.close();
    } finally {
      blocker.close();
    }
    await expect(startDemoAutotask({ AUTOTASK_EMULATOR_PORT: 'http' })).rejects.toThrow(/AUTOTASK_EMULATOR_PORT must be a port number/);
  });
});
