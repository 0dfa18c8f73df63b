import type { Request } from 'express';
import { bearerCredential } from './partner-api';

const withAuthorization = (value?: string) =>
  ({ get: (name: string) => (name.toLowerCase() === 'authorization' ? value : undefined) }) as unknown as Request;

describe('reading an API key from the Authorization header', () => {
  it('reads a Bearer credential, whatever the case of the scheme and the spaces around it', () => {
    expect(bearerCredential(withAuthorization('bearer  abc '))).toBe('abc');
  });

  it('does not count other schemes (a browser may add Basic by itself) or malformed values', () => {
    expect(bearerCredential(withAuthorization('Basic YTpi'))).toBeUndefined();
    expect(bearerCredential(withAuthorization('Bearer'))).toBeUndefined();
    expect(bearerCredential(withAuthorization('Bearer a b'))).toBeUndefined();
    expect(bearerCredential(withAuthorization())).toBeUndefined();
  });
});
