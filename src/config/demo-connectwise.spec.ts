import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, parseSettings } from './app-config';
import { startDemoConnectWise } from './demo-connectwise';
import { DemoPortInUseError } from './demo-port';

describe('demo ConnectWise', () => {
  it('reads CONNECTWISE_EMULATOR_PORT and AUTOTASK_EMULATOR_PORT (3444 and 3481 by default) and refuses what is not a port', () => {
    expect(parseSettings({})).toMatchObject({ connectWiseEmulatorPort: 3444, autotaskEmulatorPort: 3481 });
    expect(parseSettings({ CONNECTWISE_EMULATOR_PORT: ' 4555 ', AUTOTASK_EMULATOR_PORT: '4556' })).toMatchObject({
      connectWiseEmulatorPort: 4555,
      autotaskEmulatorPort: 4556,
    });
    expect(() => parseSettings({ CONNECTWISE_EMULATOR_PORT: 'http' })).toThrow(ConfigurationError);
    expect(() => parseSettings({ CONNECTWISE_EMULATOR_PORT: '70000' })).toThrow(/CONNECTWISE_EMULATOR_PORT/);
    expect(() => parseSettings({ AUTOTASK_EMULATOR_PORT: 'http' })).toThrow(/AUTOTASK_EMULATOR_PORT/);
  });

  it('starts with the demo credentials and prints the site URL and keys to connect it with', async () => {
    const { emulator, describe: lines } = await startDemoConnectWise(0);
    try {
      const printed = lines().join('\n');
      expect(printed).toContain(emulator.url);
      expect(printed).toContain(`company ID ${emulator.credentials!.companyId}`);
      expect(printed).toContain(`private key ${emulator.credentials!.privateKey}`);
      expect(printed).toContain(`client ID ${emulator.credentials!.clientId}`);
    } finally {
      await emulator.close();
    }
  });

  it('says which variable to change when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const error = await startDemoConnectWise(port).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DemoPortInUseError);
      expect((error as Error).message).toBe(
        `Port ${port} of the local ConnectWise is already in use. Stop the other program or set CONNECTWISE_EMULATOR_PORT to a free port.`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
