import { safeReturnPath } from './session-lifetime';

describe('where a sign-in returns to', () => {
  it('is a path of this site, never another site, nor a sign-in step', () => {
    expect(safeReturnPath('/licensing?tab=runs')).toBe('/licensing?tab=runs');
    for (const unsafe of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/auth/callback', 'licensing', 42, undefined])
      expect(safeReturnPath(unsafe)).toBe('/');
  });
});
