// npm run bench:partner-center — how fast the real Partner Center client reads a large partner from the local
// Microsoft: every customer page, then subscribed SKUs per customer at several concurrencies. Prints a table.
import { performance } from 'node:perf_hooks';
import { MicrosoftApiError, PartnerCenterClient, type AttemptEvent } from '../../libs/microsoft/src';
import { generateScenario } from '../../libs/microsoft-emulator/src';
import { partnerSession, startTestEmulator } from '../emulator/support/emulator-test-kit';

interface Row {
  scenario: string;
  operation: string;
  items: number;
  requests: number;
  throttled: number;
  seconds: string;
  perSecond: string;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const customers of [1_000, 10_000]) {
    for (const throttled of [false, true]) {
      // Unthrottled shows the client's raw speed; a tight limit (100 requests per 5 s, so the run stays short)
      // shows 429 + Retry-After handling at work on the throttled subscriptions route.
      const partnerCenter = throttled ? { limit: 100, windowSeconds: 5 } : { limit: 1_000_000, windowSeconds: 60 };
      const env = await startTestEmulator({
        scenario: generateScenario({ customers, seed: 42 }),
        throttling: { partnerCenter, graph: { limit: 1_000_000, windowSeconds: 10 } },
      });
      try {
        const { partnerCenterToken } = await partnerSession(env, 's365@contoso-partners.example');
        const label = `${customers.toLocaleString('en')} customers, ${throttled ? '100 req/5 s' : 'no limit'}`;
        let attempts = 0;
        let retriedAfter429 = 0;
        const onAttempt = (event: AttemptEvent) => {
          attempts++;
          if (event.status === 429) retriedAfter429++;
        };
        const client = new PartnerCenterClient({ baseUrl: env.url, onAttempt });

        let started = performance.now();
        const ids: string[] = [];
        for await (const customer of client.listCustomers(partnerCenterToken, { size: 500 }).items()) ids.push(customer.id);
        rows.push(row(label, 'list customers (size 500)', ids.length, attempts, retriedAfter429, performance.now() - started));

        const sample = ids.slice(0, throttled ? 250 : 2_000);
        for (const concurrency of throttled ? [8] : [1, 8, 32]) {
          const read = throttled
            ? (id: string) => client.listSubscriptions(partnerCenterToken, id).all()
            : (id: string) => client.listSubscribedSkus(partnerCenterToken, id).all();
          attempts = 0;
          retriedAfter429 = 0;
          let refused = 0;
          started = performance.now();
          let next = 0;
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              while (next < sample.length) {
                const id = sample[next++];
                // Customers without a licence-reading GDAP role (about 6% of a generated partner) are refused their
                // licences, as Microsoft does: counted, not fatal.
                await read(id).catch((error: unknown) => {
                  if (!(error instanceof MicrosoftApiError && error.status === 403)) throw error;
                  refused++;
                });
              }
            }),
          );
          const what = throttled ? 'subscriptions' : `subscribed SKUs${refused ? ` (${refused} refused: no GDAP role)` : ''}`;
          rows.push(
            row(label, `${what}, concurrency ${concurrency}`, sample.length, attempts, retriedAfter429, performance.now() - started),
          );
        }
      } finally {
        await env.emulator.close();
      }
    }
  }
  console.table(rows);
}

function row(scenario: string, operation: string, items: number, requests: number, throttled: number, ms: number): Row {
  return { scenario, operation, items, requests, throttled, seconds: (ms / 1000).toFixed(2), perSecond: ((items / ms) * 1000).toFixed(0) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
