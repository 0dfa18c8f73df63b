import { aadstsCodesIn, microsoftRefusal, refusalCodes } from './microsoft-refusals';

describe('the one table of Microsoft refusals', () => {
  it('finds the codes in a description, as Microsoft writes them', () => {
    expect(aadstsCodesIn('AADSTS65004: User declined to consent.\r\nTrace ID: …')).toEqual([65004]);
    expect(aadstsCodesIn(undefined)).toEqual([]);
  });

  it('says the same cause in the words of each place it shows up', () => {
    expect(microsoftRefusal('sign-in', { error: 'access_denied' })).toMatchObject({
      cause: 'declined',
      reason: expect.stringContaining('you were not signed in'),
    });
    expect(microsoftRefusal('portal-sign-in', { codes: [65004] })).toMatchObject({
      cause: 'declined',
      reason: expect.stringContaining('the licence portal asked for'),
    });
    expect(microsoftRefusal('consent', { error: 'access_denied' })).toMatchObject({
      cause: 'declined',
      reason: expect.stringContaining('Nothing was saved'),
    });
  });

  it('tells a missing consent from an app not yet in a customer by where AADSTS65001 came from', () => {
    expect(microsoftRefusal('stored-consent', { codes: [65001] })).toMatchObject({
      cause: 'consent-missing',
      fix: expect.stringContaining('Re-grant'),
    });
    expect(microsoftRefusal('customer-directory', { codes: [65001] })).toMatchObject({
      cause: 'app-not-provisioned',
      fix: expect.stringContaining('Application Administrator'),
    });
  });

  it('decides by the AADSTS code before the OAuth error, and knows nothing it was not told', () => {
    expect(microsoftRefusal('consent', { codes: [90094], error: 'access_denied' })?.cause).toBe('admin-approval-required');
    expect(microsoftRefusal('consent', { codes: [28000], error: 'invalid_request' })?.cause).toBe('permissions-refused');
    expect(microsoftRefusal('sign-in', { codes: [700082] })).toBeUndefined();
    expect(microsoftRefusal('stored-consent', { error: 'invalid_grant' })).toBeUndefined();
  });

  it('lists the refusals that concern one customer only: GDAP, the app there, its Conditional Access — never the consent’s own', () => {
    const customerOnly = refusalCodes('customer-directory');
    expect(customerOnly).toEqual(expect.arrayContaining([50020, 65001, 90099, 50076, 53003, 53000]));
    expect(customerOnly).not.toContain(700082);
    expect(customerOnly).not.toContain(50173);
  });
});
