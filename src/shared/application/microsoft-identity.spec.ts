import { microsoftIdentity } from './microsoft-identity';

const login = 'https://login.example';
const tid = 'aaaaaaaa-1111-2222-3333-444444444444';
const oid = 'bbbbbbbb-1111-2222-3333-444444444444';
const iss = `${login}/${tid}/v2.0`;

describe('the Microsoft identity of an id_token', () => {
  it('takes the sign-in name from preferred_username, else upn', () => {
    expect(
      microsoftIdentity({ iss, tid, oid, preferred_username: 'amelia@adatum.example', upn: 'other@adatum.example' }, login),
    ).toMatchObject({ signInName: 'amelia@adatum.example', userPrincipalName: 'amelia@adatum.example' });
    expect(microsoftIdentity({ iss, tid, oid, upn: 'amelia@adatum.example' }, login)).toMatchObject({
      signInName: 'amelia@adatum.example',
      userPrincipalName: 'amelia@adatum.example',
    });
  });

  it('never takes a sign-in name from the unverified email claim, which it only shows', () => {
    const identity = microsoftIdentity({ iss, tid, oid, email: 'ceo@adatum.example', name: 'Mallory' }, login);
    expect(identity).toMatchObject({ userPrincipalName: 'ceo@adatum.example', email: 'ceo@adatum.example', displayName: 'Mallory' });
    expect(identity?.signInName).toBeUndefined();
  });
});
