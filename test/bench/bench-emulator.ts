// The local Microsoft of `npm run bench`, in a process of its own: its work (TLS, JSON, 10,000 customers) is not
// counted in the app's time or memory. Started by bench.ts with fork(); answers its URL, stops on 'stop'.
import { join } from 'node:path';
import { ensureCertificateAuthority, generateScenario, startEmulator, sync365DemoApp } from '../../libs/microsoft-emulator/src';
import type { RealismOptions } from '../../libs/microsoft-emulator/src/http/realism';
import { projectRoot } from '../../src/shared/infrastructure/project-root';

async function main(): Promise<void> {
  const customers = Number(process.env.BENCH_EMULATOR_CUSTOMERS);
  const realism = process.env.BENCH_REALISM ? (JSON.parse(process.env.BENCH_REALISM) as RealismOptions) : undefined;
  const emulator = await startEmulator({
    ca: ensureCertificateAuthority(join(projectRoot, '.data', 'test')),
    apps: [sync365DemoApp(process.env.BENCH_APP_BASE_URL!)],
    scenario: generateScenario({ customers, seed: 42 }),
    realism,
    // Without realism (the raw-speed runs) nothing is throttled.
    throttling: { partnerCenter: { limit: 10_000_000, windowSeconds: 60 }, graph: { limit: 10_000_000, windowSeconds: 10 } },
  });
  process.on('message', (message) => {
    if (message === 'stop') void emulator.close().finally(() => process.exit(0));
  });
  process.send!({ url: emulator.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
