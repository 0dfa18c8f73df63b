import { portalReturnPath } from './portal-session';

describe('where a licence portal sign-in returns to', () => {
  it('is a portal page of this site, never another site nor a sign-in step', () => {
    expect(portalReturnPath('/portal/requests')).toBe('/portal/requests');
    for (const other of [
      '/customers',
      '/portalish',
      '/portal/sign-in',
      '/portal/login?x=1',
      '/portal/auth/callback',
      '//evil.example/portal',
    ])
      expect(portalReturnPath(other)).toBe('/portal');
  });
});
