import {
  startConnectWiseEmulator,
  type ConnectWiseEmulatorOptions,
  type RunningConnectWiseEmulator,
} from '../../../libs/connectwise-psa-emulator/src';

export const CW_API = '/v4_6_release/apis/3.0';

export interface CwAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export interface CwCallOptions {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
  // Override parts of the demo credentials; null leaves the header out.
  auth?: { companyId?: string; publicKey?: string; privateKey?: string } | null;
  clientId?: string | null;
}

// One emulator per spec file, reset before each test.
export function useConnectWiseEmulator(options: ConnectWiseEmulatorOptions = {}): { readonly emulator: RunningConnectWiseEmulator } {
  const holder = {} as { emulator: RunningConnectWiseEmulator };
  beforeAll(async () => {
    holder.emulator = await startConnectWiseEmulator(options);
  });
  afterAll(() => holder.emulator?.close());
  beforeEach(() => holder.emulator.reset());
  return holder;
}

export async function cwCall(emulator: RunningConnectWiseEmulator, path: string, options: CwCallOptions = {}): Promise<CwAnswer> {
  const demo = emulator.credentials!;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.auth !== null) {
    const auth = { ...demo, ...options.auth };
    headers.authorization = `Basic ${Buffer.from(`${auth.companyId}+${auth.publicKey}:${auth.privateKey}`).toString('base64')}`;
  }
  if (options.clientId !== null) headers.clientId = options.clientId ?? demo.clientId;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const url = path.startsWith('http')
    ? path
    : path.startsWith('/__emulator') || path.startsWith('/login')
      ? `${emulator.url}${path}`
      : `${emulator.url}${CW_API}${path}`;
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export function conditionsQuery(conditions: string): string {
  return `conditions=${encodeURIComponent(conditions)}`;
}
