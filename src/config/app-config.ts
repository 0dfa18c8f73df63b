// The configuration contract (DESIGN.md §3): read once at start-up, every problem listed at once, then frozen.
// Nothing else reads process.env.

export interface MicrosoftSettings {
  loginBaseUrl: string;
  partnerCenterBaseUrl: string;
  graphBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface Settings {
  port: number;
  appBaseUrl: string;
  demo: boolean;
  emulatorPort: number;
  logLevel: string;
  databaseUrl?: string;
  microsoft: Partial<MicrosoftSettings> & Pick<MicrosoftSettings, 'loginBaseUrl' | 'partnerCenterBaseUrl' | 'graphBaseUrl'>;
  tokenEncryptionKey?: Buffer;
  sessionSecret?: string;
}

// The settings once demo mode has filled what it provides (database, Microsoft, secrets).
export class AppConfig {
  readonly port: number;
  readonly appBaseUrl: string;
  readonly demo: boolean;
  readonly logLevel: string;
  readonly databaseUrl: string;
  readonly microsoft: MicrosoftSettings;
  readonly tokenEncryptionKey: Buffer;
  readonly sessionSecret: string;

  constructor(values: Omit<AppConfig, 'secureCookies'>) {
    Object.assign(this, values);
    Object.freeze(this);
  }

  get secureCookies(): boolean {
    return this.appBaseUrl.startsWith('https://');
  }
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseSettings(env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };

  const port = parsePort('PORT', value('PORT'), 3000, problems);
  const emulatorPort = parsePort('EMULATOR_PORT', value('EMULATOR_PORT'), 3443, problems);
  const appBaseUrl = parseUrl('APP_BASE_URL', value('APP_BASE_URL') ?? `http://localhost:${port}`, ['http:', 'https:'], problems);

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined) parseUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:'], problems);

  // passport-azure-ad and MSAL refuse an authority that is not https (FACTS.md §0.1), so we refuse it first.
  const loginBaseUrl = parseUrl('MS_LOGIN_BASE_URL', value('MS_LOGIN_BASE_URL') ?? 'https://login.microsoftonline.com', ['https:'], problems);
  const partnerCenterBaseUrl = parseUrl('MS_PARTNER_CENTER_BASE_URL', value('MS_PARTNER_CENTER_BASE_URL') ?? 'https://api.partnercenter.microsoft.com', ['https:'], problems);
  const graphBaseUrl = parseUrl('MS_GRAPH_BASE_URL', value('MS_GRAPH_BASE_URL') ?? 'https://graph.microsoft.com', ['https:'], problems);

  const clientId = value('MS_CLIENT_ID');
  const clientSecret = value('MS_CLIENT_SECRET');
  if (clientId !== undefined && !GUID.test(clientId)) {
    problems.push('MS_CLIENT_ID must be the Application (client) ID of the Sync 365 app registration, a GUID like 11111111-2222-3333-4444-555555555555.');
  }
  if (clientId !== undefined && clientSecret === undefined) problems.push('MS_CLIENT_SECRET is required when MS_CLIENT_ID is set (the client secret value, not its ID).');
  if (clientSecret !== undefined && clientId === undefined) problems.push('MS_CLIENT_ID is required when MS_CLIENT_SECRET is set.');

  const demoFlag = value('SYNC365_DEMO');
  if (demoFlag !== undefined && demoFlag !== '0' && demoFlag !== '1') problems.push(`SYNC365_DEMO must be 1 (use the local Microsoft emulator) or 0, not "${demoFlag}".`);
  const demo = demoFlag === undefined ? clientId === undefined : demoFlag === '1';
  if (!demo && clientId === undefined) problems.push('MS_CLIENT_ID and MS_CLIENT_SECRET are required when SYNC365_DEMO=0 (register the Sync 365 app in Microsoft Entra ID).');

  const tokenEncryptionKey = parseKey(value('TOKEN_ENCRYPTION_KEY'), problems);
  const sessionSecret = value('SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) problems.push('SESSION_SECRET must be at least 32 characters long (e.g. `openssl rand -base64 48`).');
  if (!demo) {
    if (tokenEncryptionKey === undefined && value('TOKEN_ENCRYPTION_KEY') === undefined) problems.push('TOKEN_ENCRYPTION_KEY is required outside demo mode: 32 random bytes, base64 (e.g. `openssl rand -base64 32`).');
    if (sessionSecret === undefined) problems.push('SESSION_SECRET is required outside demo mode: at least 32 random characters.');
  }

  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}".`);

  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    port,
    appBaseUrl,
    demo,
    emulatorPort,
    logLevel,
    databaseUrl,
    microsoft: { loginBaseUrl, partnerCenterBaseUrl, graphBaseUrl, clientId, clientSecret },
    tokenEncryptionKey,
    sessionSecret,
  };
}

// Fails if something demo mode should have provided is still missing (a programming error, not a user one).
export function completeConfig(settings: Settings): AppConfig {
  const { clientId, clientSecret } = settings.microsoft;
  if (!settings.databaseUrl || !clientId || !clientSecret || !settings.tokenEncryptionKey || !settings.sessionSecret) {
    throw new Error('Configuration is incomplete after start-up: database, Microsoft client and secrets must all be set.');
  }
  return new AppConfig({
    port: settings.port,
    appBaseUrl: settings.appBaseUrl,
    demo: settings.demo,
    logLevel: settings.logLevel,
    databaseUrl: settings.databaseUrl,
    microsoft: { ...settings.microsoft, clientId, clientSecret },
    tokenEncryptionKey: settings.tokenEncryptionKey,
    sessionSecret: settings.sessionSecret,
  });
}

function parsePort(name: string, raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`${name} must be a port number between 0 and 65535, not "${raw}".`);
    return fallback;
  }
  return port;
}

function parseUrl(name: string, raw: string, protocols: string[], problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} must be a URL (for example ${protocols[0]}//host), not "${raw}".`);
    return raw;
  }
  if (!protocols.includes(url.protocol)) {
    problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (it is "${url.protocol}//…").`);
  }
  return raw.replace(/\/+$/, '');
}

function parseKey(raw: string | undefined, problems: string[]): Buffer | undefined {
  if (raw === undefined) return undefined;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    problems.push('TOKEN_ENCRYPTION_KEY must be 32 bytes for AES-256-GCM: 44 base64 characters or 64 hex characters.');
    return undefined;
  }
  return key;
}
