import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptedServer } from '../../support/scripted-server';

export { recordingSleep, type RecordedRequest, type Script, type ScriptedResponse } from '../../support/scripted-server';

const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'connectwise');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}

// The shared scripted server over plain http; a route without a script answers 599 (no status ConnectWise sends).
export type ScriptedHttpServer = ScriptedServer;
export const ScriptedHttpServer = {
  start: (): Promise<ScriptedHttpServer> =>
    ScriptedServer.start({
      unscripted: (request) => ({
        status: 599,
        headers: { 'content-type': 'text/plain' },
        body: `no script for ${request.method} ${request.url.pathname}`,
      }),
    }),
};
