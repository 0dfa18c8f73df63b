// npm run bench:psa — a sync of 2,000 customer tenants (BENCH_TENANTS changes it) into the local ConnectWise and the
// local Autotask, through the real PSA gateways and the real sync use case (the repository and billing are in memory:
// what is measured is the PSA side). One tenant in ten has a changed seat count. Prints the PSA calls per changed
// line and checks Autotask's hourly threshold (10,000 requests) is not reached.
import { performance } from 'node:perf_hooks';
import { AUTOTASK_DEMO_CREDENTIALS, buildAutotaskScenario, startAutotaskEmulator } from '../../libs/autotask-emulator/src';
import { buildConnectWiseScenario, startConnectWiseEmulator } from '../../libs/connectwise-psa-emulator/src';
import type { PsaConnection } from '../../src/modules/psa-sync/domain/psa-connection';
import { SyncPsaUseCase } from '../../src/modules/psa-sync/application/sync-psa.use-case';
import { AutotaskPsaGateway } from '../../src/modules/psa-sync/infrastructure/autotask/autotask-psa.gateway';
import { ConnectWisePsaGateway } from '../../src/modules/psa-sync/infrastructure/connectwise/connectwise-psa.gateway';
import { RoutingPsaGateway } from '../../src/modules/psa-sync/infrastructure/psa-gateway.router';
import {
  FakeBillingForPsa,
  InMemoryPsaSyncRepository,
  RecordingEvents,
} from '../../src/modules/psa-sync/infrastructure/testing/in-memory-psa-sync';
import { FixedClock, ImmediateTransaction } from '../../src/shared/testing/fakes';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 2000);
const ORG = '11111111-1111-4111-8111-111111111111';
const AUTOTASK_THRESHOLD = 10_000;
const PREMIUM = 'Microsoft 365 Business Premium';
const EXCHANGE = 'Exchange Online (Plan 1)';

const name = (i: number) => `Customer ${String(i).padStart(5, '0')}`;
const tenantId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const seats = (i: number) => 10 + (i % 20);
const changed = (i: number) => i % 10 === 0;

function billing(): FakeBillingForPsa {
  const fake = new FakeBillingForPsa();
  for (let i = 0; i < TENANTS; i++) {
    fake.customersList.push({ tenantId: tenantId(i), companyName: name(i), domain: `customer${i}.example` });
    fake.lines.push({
      tenantId: tenantId(i),
      productKey: PREMIUM.toLowerCase(),
      productName: PREMIUM,
      quantity: seats(i) + (changed(i) ? 2 : 0),
      unitPrice: '26.40',
    });
    fake.lines.push({ tenantId: tenantId(i), productKey: EXCHANGE.toLowerCase(), productName: EXCHANGE, quantity: 5, unitPrice: '4.80' });
  }
  return fake;
}

async function syncOnce(connection: PsaConnection, gateway: RoutingPsaGateway, countCalls: () => Promise<number>) {
  const repository = new InMemoryPsaSyncRepository();
  await repository.saveConnection(connection);
  // Mapping as a person would confirm it: each company's agreement/contract, the two products by name.
  const [companies, agreements, products] = await Promise.all([
    gateway.companies(connection),
    gateway.agreements(connection),
    gateway.products(connection),
  ]);
  const companyByName = new Map(companies.map((c) => [c.name, c.id]));
  const agreementOf = new Map(agreements.map((a) => [a.companyId, a]));
  for (let i = 0; i < TENANTS; i++) {
    const agreement = agreementOf.get(companyByName.get(name(i))!)!;
    await repository.saveTenantMapping(ORG, {
      tenantId: tenantId(i),
      companyId: agreement.companyId,
      companyName: name(i),
      agreementId: agreement.id,
      agreementName: agreement.name,
      confirmedAt: new Date(),
      confirmedByName: 'Bench',
    });
  }
  for (const product of [PREMIUM, EXCHANGE]) {
    const psa = products.find((p) => p.name === product)!;
    await repository.saveProductMapping(ORG, {
      productKey: product.toLowerCase(),
      psaProductId: psa.id,
      psaProductName: psa.name,
      confirmedAt: new Date(),
      confirmedByName: 'Bench',
    });
  }
  const sync = new SyncPsaUseCase(
    repository,
    gateway,
    billing().asQueries(),
    new RecordingEvents(),
    new ImmediateTransaction(),
    new FixedClock(new Date()),
  );
  const callsBefore = await countCalls();
  const started = performance.now();
  const outcome = (await sync.execute({
    organizationId: ORG,
    runId: '5b2c7e1a-9d3f-4a6b-8c1d-2e3f4a5b6c7d',
    trigger: 'sync-now',
    triggeredBy: 'Bench',
    dryRun: false,
  }))!;
  const seconds = (performance.now() - started) / 1000;
  const calls = (await countCalls()) - callsBefore;
  return { outcome, seconds, calls };
}

async function main(): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  const gateway = new RoutingPsaGateway(new ConnectWisePsaGateway(), new AutotaskPsaGateway());

  // ConnectWise documents no numeric rate limit (FACTS §1): the emulator's own is switched off here.
  const cw = await startConnectWiseEmulator({
    port: 0,
    scenario: buildConnectWiseScenario(
      Array.from({ length: TENANTS }, (_, i) => ({
        name: name(i),
        additions: [
          { product: 'M365-BUS-PREM', quantity: seats(i) },
          { product: 'EXO-P1', quantity: 5 },
        ],
      })),
    ),
    settings: { rateLimit: null },
  });
  try {
    const credentials = cw.credentials!;
    const connection: PsaConnection = {
      organizationId: ORG,
      kind: 'connectwise',
      label: 'bench',
      connectedAt: new Date(),
      connectedByName: 'Bench',
      credentials: { kind: 'connectwise', siteUrl: cw.url, ...credentials },
    };
    const calls = async () =>
      Object.values((await (await fetch(`${cw.url}/__emulator/requests`)).json()) as Record<string, number>).reduce((n, c) => n + c, 0);
    const { outcome, seconds, calls: used } = await syncOnce(connection, gateway, calls);
    rows.push(row('ConnectWise', outcome.run.changedLines, outcome.run.failedTenants, used, seconds, '—'));
  } finally {
    await cw.close();
  }

  const at = await startAutotaskEmulator({
    port: 0,
    scenario: buildAutotaskScenario({
      name: 'bench',
      customers: Array.from({ length: TENANTS }, (_, i) => ({ companyName: name(i), seats: { [PREMIUM]: seats(i), [EXCHANGE]: 5 } })),
    }),
  });
  try {
    const connection: PsaConnection = {
      organizationId: ORG,
      kind: 'autotask',
      label: 'bench',
      connectedAt: new Date(),
      connectedByName: 'Bench',
      credentials: { kind: 'autotask', ...AUTOTASK_DEMO_CREDENTIALS, discoveryUrl: at.discoveryUrl, zoneUrl: at.zoneUrl },
    };
    const { outcome, seconds, calls } = await syncOnce(connection, gateway, async () => at.usage());
    rows.push(
      row(
        'Autotask',
        outcome.run.changedLines,
        outcome.run.failedTenants,
        calls,
        seconds,
        `${at.usage()} of ${AUTOTASK_THRESHOLD} this hour`,
      ),
    );
    console.table(rows);
    if (at.usage() >= AUTOTASK_THRESHOLD) {
      console.error('The Autotask sync reached the hourly threshold.');
      process.exitCode = 1;
    }
  } finally {
    await at.close();
  }
}

function row(psa: string, changedLines: number, failed: number, calls: number, seconds: number, threshold: string) {
  return {
    psa,
    tenants: TENANTS,
    changedLines,
    failedTenants: failed,
    psaCalls: calls,
    callsPerChangedLine: changedLines ? (calls / changedLines).toFixed(1) : '—',
    writeCallsPerChangedLine: psa === 'ConnectWise' ? 2 : 1,
    seconds: seconds.toFixed(1),
    threshold,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
