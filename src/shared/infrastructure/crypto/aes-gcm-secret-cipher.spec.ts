import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../../config/app-config';
import { AesGcmSecretCipher } from './aes-gcm-secret-cipher';

const cipherWith = (key: Buffer) => new AesGcmSecretCipher({ tokenEncryptionKey: key } as AppConfig);

describe('secret encryption at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const token = '0.AAAA-refresh-token-with-secrets';

  it('round-trips a secret for the same row', () => {
    const cipher = cipherWith(key);
    expect(cipher.decrypt(cipher.encrypt(token, 'row-1'), 'row-1')).toBe(token);
  });

  it('never stores the secret in clear and never repeats a ciphertext', () => {
    const cipher = cipherWith(key);
    const a = cipher.encrypt(token, 'row-1');
    const b = cipher.encrypt(token, 'row-1');
    expect(a).not.toContain(token);
    expect(a).not.toBe(b);
  });

  it('refuses a ciphertext moved to another row', () => {
    const cipher = cipherWith(key);
    expect(() => cipher.decrypt(cipher.encrypt(token, 'row-1'), 'row-2')).toThrow();
  });

  it('refuses a tampered ciphertext or another key', () => {
    const cipher = cipherWith(key);
    const stored = cipher.encrypt(token, 'row-1');
    const parts = stored.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'row-1')).toThrow();
    expect(() => cipherWith(randomBytes(32)).decrypt(stored, 'row-1')).toThrow();
  });
});
