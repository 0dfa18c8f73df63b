import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions, redactUrl } from './logger-options';

describe('log hygiene', () => {
  it('redacts OAuth secrets in logged URLs and keeps the rest', () => {
    expect(redactUrl('/auth/callback?code=abc&state=xyz&session_state=s&error=access_denied')).toBe(
      '/auth/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&session_state=%5Bredacted%5D&error=access_denied',
    );
    expect(redactUrl('/customers')).toBe('/customers');
  });

  it('redacts an API key sent in the URL instead of the Authorization header', () => {
    expect(redactUrl('/api/v1/tenants?api_key=s365_0123456789abcdef_secret&limit=5')).toBe(
      '/api/v1/tenants?api_key=%5Bredacted%5D&limit=5',
    );
    expect(redactUrl('/api/v1/tenants?apiKey=s365_x')).not.toContain('s365_x');
  });

  it('redacts an Authorization header or a clear API key passed to a log call by name', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    const [options] = loggerOptions('info').pinoHttp as [pino.LoggerOptions];
    const logger = pino({ redact: options.redact }, destination);
    logger.info(
      { headers: { authorization: 'Bearer s365_0123456789abcdef_topsecret' }, clearKey: 's365_0123456789abcdef_topsecret' },
      'careless',
    );
    expect(lines.join('')).not.toContain('topsecret');
  });

  it('logs an error by type, message, code and stack only, never the objects a driver hangs on it', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    const [options] = loggerOptions('info').pinoHttp as [pino.LoggerOptions];
    const logger = pino({ serializers: options.serializers, redact: options.redact }, destination);
    const error = Object.assign(new Error('terminating connection'), {
      code: '57P01',
      client: { connectionParameters: { password: 'hunter2' } },
    });
    logger.warn({ err: error, password: 'hunter2' }, 'dropped');
    expect(lines.join('')).not.toContain('hunter2');
    expect(JSON.parse(lines[0]).err).toMatchObject({ type: 'Error', message: 'terminating connection', code: '57P01' });
  });
});
