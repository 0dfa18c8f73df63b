import { APPLICATION_ADMINISTRATOR, evaluateGdap, gdapFix, GLOBAL_READER } from './gdap-access';

const GROUP = 'group-s365';
const relationship = (status: string, roleIds = [GLOBAL_READER, APPLICATION_ADMINISTRATOR], id = 'r1') => ({
  id,
  displayName: `rel ${id}`,
  status,
  endDateTime: '2027-01-01T00:00:00Z',
  roleIds,
});
const assignment = (roleIds: string[], groupId = GROUP, relationshipId = 'r1', status = 'active') => ({
  relationshipId,
  status,
  groupId,
  roleIds,
});

describe('GDAP access of the service account in a customer tenant', () => {
  it('is OK when an active relationship assigns Global Reader and Application Administrator to its group', () => {
    const result = evaluateGdap({
      relationships: [relationship('active')],
      assignments: [assignment([GLOBAL_READER, APPLICATION_ADMINISTRATOR])],
      serviceAccountGroupIds: [GROUP],
    });
    expect(result).toMatchObject({ status: 'ok', missingRoles: [] });
    expect(result.relationships[0].roles).toEqual(['Application Administrator', 'Global Reader']);
  });

  it('names the missing role when the group holds only Global Reader', () => {
    const result = evaluateGdap({
      relationships: [relationship('active')],
      assignments: [assignment([GLOBAL_READER])],
      serviceAccountGroupIds: [GROUP],
    });
    expect(result).toMatchObject({ status: 'missing_roles', missingRoles: ['Application Administrator'] });
    expect(gdapFix(result.status, result.missingRoles)).toContain('assign Application Administrator');
  });

  it('does not count roles assigned to a group the service account is not in', () => {
    const result = evaluateGdap({
      relationships: [relationship('active')],
      assignments: [assignment([GLOBAL_READER, APPLICATION_ADMINISTRATOR], 'helpdesk')],
      serviceAccountGroupIds: [GROUP],
    });
    expect(result.missingRoles).toEqual(['Global Reader', 'Application Administrator']);
  });

  it('combines roles across several active relationships and ignores inactive assignments', () => {
    const result = evaluateGdap({
      relationships: [relationship('active', [GLOBAL_READER], 'r1'), relationship('active', [APPLICATION_ADMINISTRATOR], 'r2')],
      assignments: [
        assignment([GLOBAL_READER], GROUP, 'r1'),
        assignment([APPLICATION_ADMINISTRATOR], GROUP, 'r2'),
        assignment([APPLICATION_ADMINISTRATOR], GROUP, 'r1', 'deleted'),
      ],
      serviceAccountGroupIds: [GROUP],
    });
    expect(result.status).toBe('ok');
  });

  it('is Expired when the only relationships have expired', () => {
    expect(
      evaluateGdap({
        relationships: [relationship('expired')],
        assignments: [assignment([GLOBAL_READER, APPLICATION_ADMINISTRATOR])],
        serviceAccountGroupIds: [GROUP],
      }).status,
    ).toBe('expired');
  });

  it('is No GDAP without relationships, or with only terminated ones', () => {
    expect(evaluateGdap({ relationships: [], assignments: [], serviceAccountGroupIds: [GROUP] }).status).toBe('no_gdap');
    expect(evaluateGdap({ relationships: [relationship('terminated')], assignments: [], serviceAccountGroupIds: [GROUP] }).status).toBe(
      'no_gdap',
    );
  });
});
