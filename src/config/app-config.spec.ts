import { ConfigurationError, parseSettings } from './app-config';

describe('configuration', () => {
  it('starts in demo mode with sensible defaults when nothing is set', () => {
    const settings = parseSettings({});
    expect(settings.demo).toBe(true);
    expect(settings.port).toBe(3000);
    expect(settings.appBaseUrl).toBe('http://localhost:3000');
    expect(settings.microsoft.loginBaseUrl).toBe('https://login.microsoftonline.com');
    expect(settings.microsoft.partnerCenterBaseUrl).toBe('https://api.partnercenter.microsoft.com');
    expect(settings.microsoft.graphBaseUrl).toBe('https://graph.microsoft.com');
    expect(settings.databaseUrl).toBeUndefined();
    expect(settings.apiRateLimitPerMinute).toBe(600);
  });

  it('reads the per-key API rate limit and refuses one that is not a positive whole number', () => {
    expect(parseSettings({ API_RATE_LIMIT_PER_MINUTE: '30' }).apiRateLimitPerMinute).toBe(30);
    for (const bad of ['0', '-5', '2.5', 'lots']) {
      expect(() => parseSettings({ API_RATE_LIMIT_PER_MINUTE: bad })).toThrow(/API_RATE_LIMIT_PER_MINUTE must be/);
    }
  });

  it('keeps the requests in flight per Microsoft limit key apart from the tenants an import reads at once', () => {
    expect(parseSettings({})).toMatchObject({ importConcurrency: 4, microsoftConcurrencyPerLimit: 4 });
    // Up to 32 the ceiling follows IMPORT_CONCURRENCY, as it always did; beyond, more tenants share the same ceiling.
    expect(parseSettings({ IMPORT_CONCURRENCY: '16' })).toMatchObject({ importConcurrency: 16, microsoftConcurrencyPerLimit: 16 });
    expect(parseSettings({ IMPORT_CONCURRENCY: '128' })).toMatchObject({ importConcurrency: 128, microsoftConcurrencyPerLimit: 32 });
    expect(parseSettings({ IMPORT_CONCURRENCY: '128', MICROSOFT_CONCURRENCY_PER_LIMIT: '20' }).microsoftConcurrencyPerLimit).toBe(20);
    for (const bad of ['0', '257', '2.5', 'many']) {
      expect(() => parseSettings({ MICROSOFT_CONCURRENCY_PER_LIMIT: bad })).toThrow(/MICROSOFT_CONCURRENCY_PER_LIMIT must be/);
      expect(() => parseSettings({ IMPORT_CONCURRENCY: bad })).toThrow(/IMPORT_CONCURRENCY must be/);
    }
  });

  it('sends webhooks to public addresses only unless hosts are allowed, kept as a URL would write them', () => {
    expect(parseSettings({}).webhookAllowedHosts).toEqual([]);
    expect(parseSettings({ WEBHOOK_ALLOWED_HOSTS: ' ' }).webhookAllowedHosts).toEqual([]);
    expect(
      parseSettings({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, localhost,Receiver.Internal.,,::1,[fd00::5],127.1' }).webhookAllowedHosts,
    ).toEqual(['127.0.0.1', 'localhost', 'receiver.internal', '[::1]', '[fd00::5]', '127.0.0.1']);
    for (const bad of [
      'https://receiver.internal',
      'receiver.internal:8443',
      'receiver.internal/hooks',
      'user@receiver.internal',
      '*.internal',
      '10.0.0.5:80',
      '[::1',
    ]) {
      let error: unknown;
      try {
        parseSettings({ WEBHOOK_ALLOWED_HOSTS: `localhost,${bad}` });
      } catch (e) {
        error = e;
      }
      expect((error as ConfigurationError).problems).toEqual([
        expect.stringMatching(/^WEBHOOK_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses/),
      ]);
      expect((error as ConfigurationError).problems[0]).toContain(`"${bad}" is not one`);
    }
  });

  it('talks to real Microsoft when the app registration is configured', () => {
    const settings = parseSettings({
      MS_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      MS_CLIENT_SECRET: 'secret-value',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      SESSION_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://u:p@db:5432/sync365',
      APP_BASE_URL: 'https://sync365.example.com/',
    });
    expect(settings.demo).toBe(false);
    expect(settings.appBaseUrl).toBe('https://sync365.example.com');
    expect(settings.tokenEncryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  it('lists every problem at once instead of stopping at the first', () => {
    let error: unknown;
    try {
      parseSettings({
        PORT: 'eighty',
        MS_LOGIN_BASE_URL: 'http://login.example',
        MS_CLIENT_ID: 'not-a-guid',
        TOKEN_ENCRYPTION_KEY: 'short',
        SESSION_SECRET: 'short',
        DATABASE_URL: 'mysql://db',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems.join('\n');
    for (const name of [
      'PORT',
      'MS_LOGIN_BASE_URL',
      'MS_CLIENT_ID',
      'MS_CLIENT_SECRET',
      'TOKEN_ENCRYPTION_KEY',
      'SESSION_SECRET',
      'DATABASE_URL',
      'LOG_LEVEL',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('requires secrets outside demo mode rather than inventing them', () => {
    expect(() => parseSettings({ MS_CLIENT_ID: '11111111-2222-3333-4444-555555555555', MS_CLIENT_SECRET: 's' })).toThrow(
      /TOKEN_ENCRYPTION_KEY is required[\s\S]*SESSION_SECRET is required/,
    );
  });

  it('refuses to leave demo mode without an app registration', () => {
    expect(() => parseSettings({ SYNC365_DEMO: '0' })).toThrow(/MS_CLIENT_ID and MS_CLIENT_SECRET are required when SYNC365_DEMO=0/);
  });
  it('takes the SMTP server for alert e-mail from SMTP_URL (smtp:// or smtps://) and refuses anything else with the form it needs', () => {
    expect(parseSettings({}).smtpUrl).toBeUndefined();
    expect(
      parseSettings({ SMTP_URL: 'smtps://alerts:p%40ss@mail.example.com:465', SMTP_FROM: 'Sync 365 <alerts@example.com>' }),
    ).toMatchObject({ smtpUrl: 'smtps://alerts:p%40ss@mail.example.com:465', smtpFrom: 'Sync 365 <alerts@example.com>' });
    expect(() => parseSettings({ SMTP_URL: 'mail.example.com:25' })).toThrow(
      /SMTP_URL must be the SMTP server for alert e-mail, like smtp:\/\/user:password@mail.example.com:587/,
    );
    expect(() => parseSettings({ SMTP_URL: 'https://mail.example.com' })).toThrow(/SMTP_URL must be/);
    expect(() => parseSettings({ SMTP_FROM: 'not an address' })).toThrow(/SMTP_FROM must be an e-mail address/);
  });
});
