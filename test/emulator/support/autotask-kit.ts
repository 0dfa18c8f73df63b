import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTOTASK_DEMO_CREDENTIALS } from '../../../libs/autotask-emulator/src';
import { recordingSleep, ScriptedServer, type ScriptedResponse } from '../../support/scripted-server';

export type { RecordedRequest } from '../../support/scripted-server';

const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'autotask');

export type ScriptedAnswer = ScriptedResponse;

// The shared scripted server over plain http, with Autotask's case-insensitive paths and JSON answers; a route without
// a script answers 404 in Autotask's {"errors":[…]} shape.
export type ScriptedHttpServer = ScriptedServer;
export const ScriptedHttpServer = {
  start: (): Promise<ScriptedHttpServer> =>
    ScriptedServer.start({
      caseInsensitiveRoutes: true,
      jsonContentType: 'always',
      unscripted: (request) => ({
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errors: [`No script for ${request.method} ${request.url.pathname}`] }),
      }),
    }),
};

export function autotaskFixture(name: string, origin?: string): string {
  const text = readFileSync(join(FIXTURES_DIR, name), 'utf8');
  return origin ? text.replaceAll('{{origin}}', origin) : text;
}

export function fixtureAnswer(name: string, status = 200, origin?: string, headers: Record<string, string> = {}): ScriptedAnswer {
  return { status, body: autotaskFixture(name, origin), headers };
}

// The fake clock of retry and limiter tests (test/support/scripted-server's recordingSleep).
export const fakeSleep = recordingSleep;

export const DEMO = AUTOTASK_DEMO_CREDENTIALS;

// A raw call to the emulator with the demo user's headers (or others), for fidelity tests.
export async function callAutotask(
  baseUrl: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string | undefined> } = {},
): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const auth: Record<string, string | undefined> = {
    ApiIntegrationCode: DEMO.integrationCode,
    UserName: DEMO.userName,
    Secret: DEMO.secret,
    ...init.headers,
  };
  for (const [name, value] of Object.entries(auth)) if (value !== undefined) headers[name] = value;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, headers: response.headers, text };
}
