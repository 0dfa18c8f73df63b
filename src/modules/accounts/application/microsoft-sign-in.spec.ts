import { describeSignInFailure, identityFromIdToken } from './microsoft-sign-in';

const login = 'https://login.example';
const tid = 'aaaaaaaa-1111-2222-3333-444444444444';
const oid = 'bbbbbbbb-1111-2222-3333-444444444444';

describe('identity from a Microsoft id_token', () => {
  it('accepts a token whose issuer is the tenant issuer of its own tid', () => {
    const identity = identityFromIdToken(
      { iss: `${login}/${tid}/v2.0`, tid, oid, preferred_username: 'admin@contoso.example', name: 'Contoso Admin' },
      login,
    );
    expect(identity).toEqual({
      tenantId: tid,
      objectId: oid,
      userPrincipalName: 'admin@contoso.example',
      signInName: 'admin@contoso.example',
      displayName: 'Contoso Admin',
      email: undefined,
    });
  });

  it('rejects a token issued for another tenant than the one it names', () => {
    expect(() => identityFromIdToken({ iss: `${login}/cccccccc-1111-2222-3333-444444444444/v2.0`, tid, oid }, login)).toThrow(
      /did not come from the directory/,
    );
  });

  it('rejects the literal {tenantid} template as an issuer', () => {
    expect(() => identityFromIdToken({ iss: `${login}/{tenantid}/v2.0`, tid: '{tenantid}', oid }, login)).toThrow(
      /did not come from the directory/,
    );
  });

  it('rejects a token from another authority host', () => {
    expect(() => identityFromIdToken({ iss: `https://evil.example/${tid}/v2.0`, tid, oid }, login)).toThrow(
      /did not come from the directory/,
    );
  });

  it('rejects a token without a user object id', () => {
    expect(() => identityFromIdToken({ iss: `${login}/${tid}/v2.0`, tid }, login)).toThrow(/names no user/);
  });
});

describe('sign-in failures in plain words', () => {
  it('explains a declined consent from its AADSTS code', () => {
    const error = describeSignInFailure({
      error: 'access_denied',
      errorDescription: 'AADSTS65004: User declined to consent to access the app.',
    });
    expect(error.code).toBe('AUTH.SIGN_IN_FAILED');
    expect(error.message).toMatch(/declined the permissions/);
    expect(error.fix).toMatch(/Accept/);
  });

  it('explains a replayed or forged state', () => {
    expect(describeSignInFailure({ message: 'In collectInfoFromReq: invalid state received in the request' }).message).toMatch(
      /already been used or has expired/,
    );
  });

  it('explains a token that fails verification without repeating the library message', () => {
    const error = describeSignInFailure({ message: 'In _validateResponse: jwt audience is invalid' });
    expect(error.message).toMatch(/could not be verified/);
    expect(error.message).not.toMatch(/_validateResponse/);
  });

  it('explains a refused client secret to the administrator', () => {
    expect(
      describeSignInFailure({
        message:
          'failed to redeem authorization code: {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}',
      }).fix,
    ).toMatch(/MS_CLIENT_SECRET/);
  });
});
