import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  options: { basic?: [string, string]; tenant?: string; headers?: Record<string, string>; query?: Record<string, string> } = {},
): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (options.basic) {
    const [id, secret] = options.basic.map((part) => encodeURIComponent(part));
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  }
  const body = new URLSearchParams(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const url = new URL(`${env.url}/${options.tenant ?? 'common'}/oauth2/v2.0/token`);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
  const response = await fetch(url, { method: 'POST', headers, body });
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

export function refresh(
  env: TestEmulator,
  refreshToken: string,
  fields: Record<string, string | undefined> = {},
  tenant?: string,
): Promise<TokenResponse> {
  return postToken(
    env,
    {
      grant_type: 'refresh_token',
      client_id: env.app.clientId,
      client_secret: env.app.clientSecret,
      refresh_token: refreshToken,
      ...fields,
    },
    { tenant },
  );
}

// Signs in through the forms and redeems the code: the usual way to get tokens in a test.
export async function tokensFor(
  env: TestEmulator,
  username: string,
  params: Record<string, string | undefined> = {},
): Promise<Record<string, any>> {
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
    new RegExp(
      `^AADSTS${code}: .+\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z$`,
    ),
  );
  expect(response.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  expect(response.body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
}

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
export const PARTNER_CENTER_DEFAULT_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const TAILSPIN = 'tailspin-distribution.example';
export const NORTHWIND = 'northwind-partners.example';

// One emulator per spec file, reset before each test: the usual beforeAll/afterAll/beforeEach in one call.
// The returned object is filled in by beforeAll.
export function useTestEmulator(options: Partial<EmulatorOptions> = {}): TestEmulator {
  const env = {} as TestEmulator;
  beforeAll(async () => {
    Object.assign(env, await startTestEmulator(options));
  });
  afterAll(async () => {
    await env.emulator?.close();
  });
  beforeEach(async () => {
    await controlPost(env, 'reset');
  });
  return env;
}

export interface PartnerSession {
  partnerCenterToken: string;
  refreshToken: string;
}

// A partner user consents to the app registration's static permissions (Partner Center and Graph) with one
// `.default`, as the product does, then redeems the code for Partner Center. Graph tokens come from the refresh token.
export async function partnerSession(env: TestEmulator, username: string): Promise<PartnerSession> {
  const result = await signIn(env, username, { scope: `openid profile offline_access ${PARTNER_CENTER_DEFAULT_SCOPE}` });
  if (!result.params.code) throw new Error(`no code: ${JSON.stringify(result.params)}`);
  const response = await redeemCode(env, result.params.code, { scope: `openid offline_access ${PARTNER_CENTER_SCOPE}` });
  if (response.status !== 200) throw new Error(`token request failed: ${JSON.stringify(response.body)}`);
  return { partnerCenterToken: response.body.access_token, refreshToken: response.body.refresh_token };
}

// A Graph token for `tenant` (the partner's own with 'common', a customer's through GDAP).
export async function graphToken(env: TestEmulator, refreshToken: string, tenant = 'common'): Promise<string> {
  const response = await refresh(env, refreshToken, { scope: GRAPH_DEFAULT_SCOPE }, tenant);
  if (response.status !== 200) throw new Error(`graph token for ${tenant} failed: ${JSON.stringify(response.body)}`);
  return response.body.access_token;
}

export interface ApiResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  body: any; // parsed JSON, or undefined when the body is not JSON
}

export async function callApi(
  env: TestEmulator,
  path: string,
  token?: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<ApiResponse> {
  const url = path.startsWith('https://') ? path : `${env.url}${path}`;
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, statusText: response.statusText, headers: response.headers, text, body };
}

export async function control(
  env: TestEmulator,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${env.url}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export function fixture(name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'microsoft', name), 'utf8'));
}

// Partner Center's error shape (error-codes.md).
export function expectApiFault(response: ApiResponse, status: number, code: number): void {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ code, description: expect.any(String), data: [], source: 'PartnerFD' });
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(response.headers.get('ms-correlationid')).toMatch(/^[0-9a-f-]{36}$/);
}

// Graph's error envelope.
export function expectGraphError(response: ApiResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(response.body.error.message).toEqual(expect.any(String));
  expect(Object.keys(response.body.error.innerError).sort()).toEqual(['client-request-id', 'date', 'request-id']);
}
