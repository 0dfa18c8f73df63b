import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from './app-config';
import { connectWiseEmulatorPort, DEFAULT_CONNECTWISE_EMULATOR_PORT, describeDemoConnectWise, startDemoConnectWise } from './demo-connectwise';

describe('demo ConnectWise', () => {
  it('reads CONNECTWISE_EMULATOR_PORT, defaulting to 3444, and refuses what is not a port', () => {
    expect(connectWiseEmulatorPort({})).toBe(DEFAULT_CONNECTWISE_EMULATOR_PORT);
    expect(connectWiseEmulatorPort({ CONNECTWISE_EMULATOR_PORT: ' 4555 ' })).toBe(4555);
    expect(() => connectWiseEmulatorPort({ CONNECTWISE_EMULATOR_PORT: 'http' })).toThrow(ConfigurationError);
    expect(() => connectWiseEmulatorPort({ CONNECTWISE_EMULATOR_PORT: '70000' })).toThrow(/CONNECTWISE_EMULATOR_PORT/);
  });

  it('starts with the demo credentials and prints the site URL and keys to connect it with', async () => {
    const emulator = await startDemoConnectWise({ CONNECTWISE_EMULATOR_PORT: '0' });
    try {
      const lines = describeDemoConnectWise(emulator).join('\n');
      expect(lines).toContain(emulator.url);
      expect(lines).toContain(`company ID ${emulator.credentials!.companyId}`);
      expect(lines).toContain(`private key ${emulator.credentials!.privateKey}`);
      expect(lines).toContain(`client ID ${emulator.credentials!.clientId}`);
    } finally {
      await emulator.close();
    }
  });

  it('says which variable to change when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const error = await startDemoConnectWise({ CONNECTWISE_EMULATOR_PORT: String(port) }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/CONNECTWISE_EMULATOR_PORT/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
