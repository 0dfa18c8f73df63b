import { createHash, randomBytes } from 'node:crypto';
import {
  decodeJwt,
  ensureCertificateAuthority,
  EmulatorBrowser,
  signInThroughForms,
  startEmulator,
  sync365DemoApp,
  type AppRegistration,
  type EmulatorOptions,
  type RunningEmulator,
  type SignInOptions,
  type SignInResult,
} from '../../../libs/microsoft-emulator/src';

// The same CA that NODE_EXTRA_CA_CERTS points at when jest starts (see the test command).
export const TEST_CA_DIR = '.data/test';
// The app is never contacted: the sign-in helper stops at the redirect back to it.
export const APP_BASE_URL = 'http://localhost:3999';
export const CONTOSO = 'contoso-partners.example';
export const FABRIKAM = 'fabrikam-reseller.example';

export interface TestEmulator {
  emulator: RunningEmulator;
  url: string;
  app: AppRegistration;
  redirectUri: string;
}

export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const app = sync365DemoApp(APP_BASE_URL);
  const emulator = await startEmulator({ ca: ensureCertificateAuthority(TEST_CA_DIR), apps: [app], ...options });
  return { emulator, url: emulator.url, app, redirectUri: app.redirectUris[0] };
}

export function authorizeUrl(env: TestEmulator, params: Record<string, string | undefined> = {}, tenant = 'common'): string {
  const url = new URL(`${env.url}/${tenant}/oauth2/v2.0/authorize`);
  const defaults: Record<string, string | undefined> = {
    client_id: env.app.clientId,
    response_type: 'code',
    redirect_uri: env.redirectUri,
    scope: 'openid profile email offline_access User.Read',
    state: 'state-123',
    nonce: 'nonce-456',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...params })) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.toString();
}

export async function signIn(
  env: TestEmulator,
  username: string,
  params: Record<string, string | undefined> = {},
  options: Omit<SignInOptions, 'username'> & { browser?: EmulatorBrowser; tenant?: string } = {},
): Promise<SignInResult> {
  const browser = options.browser ?? new EmulatorBrowser();
  return signInThroughForms(browser, authorizeUrl(env, params, options.tenant), { ...options, username });
}

export interface TokenResponse {
  status: number;
  headers: Headers;
  body: Record<string, any>;
}

export async function postToken(
  env: TestEmulator,
  fields: Record<string, string | undefined>,
  options: { basic?: [string, string]; tenant?: string } = {},
): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.basic) {
    const [id, secret] = options.basic.map((part) => encodeURIComponent(part));
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  }
  const body = new URLSearchParams(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(`${env.url}/${options.tenant ?? 'common'}/oauth2/v2.0/token`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

export function redeemCode(env: TestEmulator, code: string, fields: Record<string, string | undefined> = {}): Promise<TokenResponse> {
  return postToken(env, {
    grant_type: 'authorization_code',
    client_id: env.app.clientId,
    client_secret: env.app.clientSecret,
    code,
    redirect_uri: env.redirectUri,
    ...fields,
  });
}

export function refresh(env: TestEmulator, refreshToken: string, fields: Record<string, string | undefined> = {}): Promise<TokenResponse> {
  return postToken(env, {
    grant_type: 'refresh_token',
    client_id: env.app.clientId,
    client_secret: env.app.clientSecret,
    refresh_token: refreshToken,
    ...fields,
  });
}

// Signs in through the forms and redeems the code: the usual way to get tokens in a test.
export async function tokensFor(env: TestEmulator, username: string, params: Record<string, string | undefined> = {}): Promise<Record<string, any>> {
  const result = await signIn(env, username, params);
  if (!result.params.code) throw new Error(`no code: ${JSON.stringify(result.params)}`);
  const response = await redeemCode(env, result.params.code, { scope: params.scope });
  if (response.status !== 200) throw new Error(`token request failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export function claimsOf(token: string): Record<string, any> {
  const decoded = decodeJwt(token);
  if (!decoded) throw new Error('not a JWT');
  return decoded.claims as Record<string, any>;
}

export function headerOf(token: string): Record<string, any> {
  const decoded = decodeJwt(token);
  if (!decoded) throw new Error('not a JWT');
  return decoded.header as Record<string, any>;
}

export async function controlGet(env: TestEmulator, path: string): Promise<any> {
  const response = await fetch(`${env.url}/__emulator/${path}`);
  expect(response.status).toBe(200);
  return response.json();
}

export async function controlPost(env: TestEmulator, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${env.url}/__emulator/${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

// The AADSTS error shape of payloads/aad-token-error-invalid_scope.json.
export function expectAadError(response: TokenResponse, status: number, error: string, code: number): void {
  expect(response.status).toBe(status);
  expect(response.body.error).toBe(error);
  expect(response.body.error_codes).toEqual([code]);
  expect(response.body.error_description).toMatch(
    new RegExp(`^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`),
  );
  expect(response.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  expect(response.body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
}
