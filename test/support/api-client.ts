import createClient, { type Client } from 'openapi-fetch';
import type { EmulatorBrowser } from '../../libs/microsoft-emulator/src';
import type { ApiScope } from '../../src/shared/interface/http/partner-api';
import { csrfTokenOf } from './dashboard';
import type { components, paths } from './partner-api.generated';
import type { TestApp } from './test-app';

// The partner API through a client typed from its own OpenAPI document (partner-api.generated.ts, which
// test/api/openapi.e2e-spec.ts keeps equal to /api/docs-json): a request or an answer that drifts from the
// document fails to compile.
export type PartnerApiClient = Client<paths>;
export type Problem = components['schemas']['ProblemResponse'];
// The query parameters of a GET operation, as the document describes them.
export type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

const JSON_ONLY = { accept: 'application/json' };

// As a partner's system calls it: `Authorization: Bearer <key>` (no header at all when the key is null).
export function apiKeyClient(t: TestApp, apiKey: string | null): PartnerApiClient {
  return createClient<paths>({
    baseUrl: t.baseUrl,
    headers: { ...JSON_ONLY, ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }) },
  });
}

// As the dashboard's own scripts call it: the signed-in session's cookie, and its CSRF token for writes.
export function sessionClient(t: TestApp, browser: EmulatorBrowser, csrfToken?: string): PartnerApiClient {
  const cookie = Object.entries(browser.cookies(t.baseUrl))
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  return createClient<paths>({
    baseUrl: t.baseUrl,
    headers: { ...JSON_ONLY, cookie, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
  });
}

// Creates a key through Settings → API keys, as a partner admin does, and reads it off the page that shows it once.
export async function createApiKey(t: TestApp, browser: EmulatorBrowser, name: string, scopes: readonly ApiScope[]): Promise<string> {
  const form = new URLSearchParams({ _csrf: await csrfTokenOf(t, browser, '/settings/api-keys'), name });
  for (const scope of scopes) form.append('scopes', scope);
  const cookie = Object.entries(browser.cookies(t.baseUrl))
    .map(([key, value]) => `${key}=${value}`)
    .join('; ');
  const response = await fetch(`${t.baseUrl}/settings/api-keys`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const html = await response.text();
  const key = /value="([^"]+)"[^>]*data-api-key-value/.exec(html)?.[1];
  if (response.status !== 201 || !key) throw new Error(`Creating API key "${name}" answered ${response.status}: ${html.slice(0, 300)}`);
  return key;
}
