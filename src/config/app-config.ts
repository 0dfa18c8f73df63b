import { isGuid } from '../shared/domain/guid';
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
  // The local PSAs of demo mode (their URLs are what a person enters under Settings → Billing → PSA, so they stay put).
  connectWiseEmulatorPort: number;
  autotaskEmulatorPort: number;
  logLevel: string;
  importConcurrency: number;
  microsoftConcurrencyPerLimit: number;
  apiRateLimitPerMinute: number;
  webhookAllowedHosts: string[];
  databaseUrl?: string;
  microsoft: Partial<MicrosoftSettings> & Pick<MicrosoftSettings, 'loginBaseUrl' | 'partnerCenterBaseUrl' | 'graphBaseUrl'>;
  tokenEncryptionKey?: Buffer;
  sessionSecret?: string;
  smtpUrl?: string;
  smtpFrom?: string;
}

// The settings once demo mode has filled what it provides (database, Microsoft, secrets).
export class AppConfig {
  readonly port: number;
  readonly appBaseUrl: string;
  readonly demo: boolean;
  readonly logLevel: string;
  // Customer tenants one app instance reads at once during an import.
  readonly importConcurrency: number;
  // Requests to Microsoft in flight at once per limit key (a partner's Partner Center, an app + tenant in Graph): the
  // ceiling of the adaptive per-key concurrency, whatever the number of tenants read at once.
  readonly microsoftConcurrencyPerLimit: number;
  // Partner API requests one API key may make per minute, across all app instances.
  readonly apiRateLimitPerMinute: number;
  // Hosts webhooks may be sent to although they are private or loopback addresses (a receiver on the operator's
  // own network, the tests' local receiver); every other webhook goes to public internet addresses only.
  readonly webhookAllowedHosts: readonly string[];
  readonly databaseUrl: string;
  readonly microsoft: MicrosoftSettings;
  readonly tokenEncryptionKey: Buffer;
  readonly sessionSecret: string;
  // The SMTP server alert e-mail goes through (nodemailer connection URL); unset: alerts are shown in the app only.
  readonly smtpUrl?: string;
  // The From of alert e-mail; unset: Sync 365 <alerts@the APP_BASE_URL host>.
  readonly smtpFrom?: string;

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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseSettings(env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };

  const port = parseInteger('PORT', value('PORT'), 3000, [0, 65535], 'a port number', problems);
  const emulatorPort = parseInteger('EMULATOR_PORT', value('EMULATOR_PORT'), 3443, [0, 65535], 'a port number', problems);
  const connectWiseEmulatorPort = parseInteger(
    'CONNECTWISE_EMULATOR_PORT',
    value('CONNECTWISE_EMULATOR_PORT'),
    3444,
    [0, 65535],
    'a port number',
    problems,
  );
  const autotaskEmulatorPort = parseInteger(
    'AUTOTASK_EMULATOR_PORT',
    value('AUTOTASK_EMULATOR_PORT'),
    3481,
    [0, 65535],
    'a port number',
    problems,
  );
  const appBaseUrl = parseUrl('APP_BASE_URL', value('APP_BASE_URL') ?? `http://localhost:${port}`, ['http:', 'https:'], problems);

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined) parseUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:'], problems);

  // passport-azure-ad and MSAL refuse an authority that is not https (FACTS.md §0.1), so we refuse it first.
  const loginBaseUrl = parseUrl(
    'MS_LOGIN_BASE_URL',
    value('MS_LOGIN_BASE_URL') ?? 'https://login.microsoftonline.com',
    ['https:'],
    problems,
  );
  const partnerCenterBaseUrl = parseUrl(
    'MS_PARTNER_CENTER_BASE_URL',
    value('MS_PARTNER_CENTER_BASE_URL') ?? 'https://api.partnercenter.microsoft.com',
    ['https:'],
    problems,
  );
  const graphBaseUrl = parseUrl('MS_GRAPH_BASE_URL', value('MS_GRAPH_BASE_URL') ?? 'https://graph.microsoft.com', ['https:'], problems);

  const clientId = value('MS_CLIENT_ID');
  const clientSecret = value('MS_CLIENT_SECRET');
  if (clientId !== undefined && !isGuid(clientId)) {
    problems.push(
      'MS_CLIENT_ID must be the Application (client) ID of the Sync 365 app registration, a GUID like 11111111-2222-3333-4444-555555555555.',
    );
  }
  if (clientId !== undefined && clientSecret === undefined)
    problems.push('MS_CLIENT_SECRET is required when MS_CLIENT_ID is set (the client secret value, not its ID).');
  if (clientSecret !== undefined && clientId === undefined) problems.push('MS_CLIENT_ID is required when MS_CLIENT_SECRET is set.');

  const demoFlag = value('SYNC365_DEMO');
  if (demoFlag !== undefined && demoFlag !== '0' && demoFlag !== '1')
    problems.push(`SYNC365_DEMO must be 1 (use the local Microsoft emulator) or 0, not "${demoFlag}".`);
  const demo = demoFlag === undefined ? clientId === undefined : demoFlag === '1';
  if (!demo && clientId === undefined)
    problems.push('MS_CLIENT_ID and MS_CLIENT_SECRET are required when SYNC365_DEMO=0 (register the Sync 365 app in Microsoft Entra ID).');

  const tokenEncryptionKey = parseKey(value('TOKEN_ENCRYPTION_KEY'), problems);
  const sessionSecret = value('SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32)
    problems.push('SESSION_SECRET must be at least 32 characters long (e.g. `openssl rand -base64 48`).');
  if (!demo) {
    if (tokenEncryptionKey === undefined && value('TOKEN_ENCRYPTION_KEY') === undefined)
      problems.push('TOKEN_ENCRYPTION_KEY is required outside demo mode: 32 random bytes, base64 (e.g. `openssl rand -base64 32`).');
    if (sessionSecret === undefined) problems.push('SESSION_SECRET is required outside demo mode: at least 32 random characters.');
  }

  const importConcurrency = parseInteger(
    'IMPORT_CONCURRENCY',
    value('IMPORT_CONCURRENCY'),
    4,
    [1, 256],
    'the number of customer tenants read at once',
    problems,
  );
  // Microsoft publishes no concurrency figure (FACTS §2.12): 32 in flight per key is what the realistic emulator
  // tolerates (assumed). The default keeps the ceiling where it was (IMPORT_CONCURRENCY) up to that figure, so more
  // tenants read at once keep each key full without exceeding it.
  const microsoftConcurrencyPerLimit = parseInteger(
    'MICROSOFT_CONCURRENCY_PER_LIMIT',
    value('MICROSOFT_CONCURRENCY_PER_LIMIT'),
    Math.min(importConcurrency, 32),
    [1, 256],
    'the number of requests in flight at once per Microsoft limit key',
    problems,
  );

  const apiRateLimitPerMinute = parseInteger(
    'API_RATE_LIMIT_PER_MINUTE',
    value('API_RATE_LIMIT_PER_MINUTE'),
    600,
    [1, 100000],
    'the partner API requests one API key may make per minute',
    problems,
  );

  const webhookAllowedHosts = parseHosts('WEBHOOK_ALLOWED_HOSTS', value('WEBHOOK_ALLOWED_HOSTS'), problems);

  const smtpUrl = parseSmtpUrl(value('SMTP_URL'), problems);
  const smtpFrom = value('SMTP_FROM');
  if (smtpFrom !== undefined && !/^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(smtpFrom)) {
    problems.push(`SMTP_FROM must be an e-mail address, optionally with a name ("Sync 365 <alerts@example.com>"), not "${smtpFrom}".`);
  }

  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}".`);

  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    port,
    appBaseUrl,
    demo,
    emulatorPort,
    connectWiseEmulatorPort,
    autotaskEmulatorPort,
    logLevel,
    importConcurrency,
    microsoftConcurrencyPerLimit,
    apiRateLimitPerMinute,
    webhookAllowedHosts,
    databaseUrl,
    microsoft: { loginBaseUrl, partnerCenterBaseUrl, graphBaseUrl, clientId, clientSecret },
    tokenEncryptionKey,
    sessionSecret,
    smtpUrl,
    smtpFrom,
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
    importConcurrency: settings.importConcurrency,
    microsoftConcurrencyPerLimit: settings.microsoftConcurrencyPerLimit,
    apiRateLimitPerMinute: settings.apiRateLimitPerMinute,
    webhookAllowedHosts: settings.webhookAllowedHosts,
    databaseUrl: settings.databaseUrl,
    microsoft: { ...settings.microsoft, clientId, clientSecret },
    tokenEncryptionKey: settings.tokenEncryptionKey,
    sessionSecret: settings.sessionSecret,
    smtpUrl: settings.smtpUrl,
    smtpFrom: settings.smtpFrom,
  });
}

function parseInteger(
  name: string,
  raw: string | undefined,
  fallback: number,
  [min, max]: [number, number],
  what: string,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  const number = Number(raw);
  if (!Number.isInteger(number) || number < min || number > max) {
    problems.push(`${name} must be ${what} between ${min} and ${max}, not "${raw}".`);
    return fallback;
  }
  return number;
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

// Host names or IP addresses, comma-separated, each written as it would appear in a URL (IPv6 in brackets or not),
// kept as the URL parser writes them so they compare with a webhook URL's host (127.1 is 127.0.0.1, names lower case).
function parseHosts(name: string, raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const hosts: string[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const written = entry.includes(':') && !entry.startsWith('[') ? `[${entry}]` : entry;
    let url: URL | undefined;
    try {
      url = new URL(`https://${written}/`);
    } catch {
      url = undefined;
    }
    if (
      !url ||
      url.host !== url.hostname ||
      url.pathname !== '/' ||
      url.search ||
      url.hash ||
      url.username ||
      url.password ||
      !/^[a-z0-9.\-[\]:]+$/.test(url.hostname)
    ) {
      problems.push(
        `${name} must be a comma-separated list of host names or IP addresses (no scheme, port or path), like "receiver.internal,10.0.0.5"; "${entry}" is not one.`,
      );
      continue;
    }
    hosts.push(url.hostname.replace(/\.$/, ''));
  }
  return hosts;
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

// nodemailer's connection URL: smtp://[user:pass@]host[:port] (STARTTLS when the server offers it) or smtps:// (TLS).
function parseSmtpUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
    problems.push(
      'SMTP_URL must be the SMTP server for alert e-mail, like smtp://user:password@mail.example.com:587 or smtps://user:password@mail.example.com:465 (special characters in the password percent-encoded).',
    );
    return undefined;
  }
  return raw;
}
