// Retries an assertion until it passes or the time is up (for work that happens in background jobs).
export async function eventually(check: () => void | Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

// Waits until the app has no background work left to do now: every outbox event relayed and no job waiting, retrying or
// running that is due (jobs scheduled for later are not waited for). For assertions that count what background work does.
export async function backgroundWorkSettled(query: (sql: string) => Promise<{ n: number }[]>, timeoutMs = 20_000): Promise<void> {
  await eventually(async () => {
    const [outbox] = await query('select count(*)::int as n from outbox_messages where published_at is null');
    const [jobs] = await query(
      `select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now()`,
    );
    if (outbox.n + jobs.n > 0) throw new Error(`background work left: ${outbox.n} events, ${jobs.n} jobs`);
  }, timeoutMs);
}
