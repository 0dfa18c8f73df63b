import type { RunningPostgres } from '../../src/shared/infrastructure/database/embedded-postgres';

// Called once per database project (integration, e2e), after every test of the run: the first call stops the server.
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __POSTGRES__?: RunningPostgres };
  const postgres = state.__POSTGRES__;
  state.__POSTGRES__ = undefined;
  await postgres?.stop();
}
