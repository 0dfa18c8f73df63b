import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  GraphCollection,
  GraphDelegatedAdminAccessAssignment,
  GraphDelegatedAdminRelationship,
} from '../../../../../libs/microsoft/src';
import { projectRoot } from '../../../../shared/infrastructure/project-root';
import { mayGrantAccess, relationshipsOfCustomer, securityGroupIds, toGdapAssignment, toGdapRelationship } from './gdap.mapper';

const fixture = <T>(name: string): GraphCollection<T> =>
  JSON.parse(readFileSync(join(projectRoot, 'test/fixtures/microsoft', name), 'utf8'));
const relationships = fixture<GraphDelegatedAdminRelationship>('graph-delegatedAdminRelationships-list.json');
const assignments = fixture<GraphDelegatedAdminAccessAssignment>('graph-delegatedAdminRelationship-accessAssignments-list.json');

describe('GDAP mapper (Graph delegatedAdminRelationships and accessAssignments → snapshots)', () => {
  it("maps Microsoft's relationships sample, both kinds, with ISO dates and the roles they allow", () => {
    expect(relationships.value.map(toGdapRelationship)).toEqual([
      {
        id: '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836',
        displayName: 'Contoso admin relationship',
        status: 'active',
        endDateTime: '2024-02-10T11:24:42.314Z',
        roleIds: ['dd4db9a0-cc4a-4213-9f9f-70242232d97e'],
      },
      {
        id: '1041ef52-a99b-4245-a3be-cbd3fa7c5ed1-8777b240-c6f0-4469-9e98-a3205431b836',
        displayName: 'Contoso subsidiary relationship',
        status: 'terminated',
        endDateTime: '2021-10-29T16:57:20.210Z',
        roleIds: ['29232cdf-9323-42fd-ade2-1d097af3e4de', '3a2c62db-5318-420d-8d74-23affee5d9d5'],
      },
      {
        id: '4b227261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836',
        displayName: 'Fabrikam admin relationship',
        status: 'approvalPending',
        endDateTime: null,
        roleIds: [
          '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
          'e8611ab8-c189-46e8-94e1-60213ab1f814',
          'fe930be7-5e62-47db-91af-98c3a49a38b1',
          '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
          'f023fd81-a637-4b56-95fd-791ac0226033',
          '9360feb5-f418-4baa-8175-e2a00bac4301',
          '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
          'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
        ],
      },
    ]);
  });

  it('keeps only the relationships with the asked customer, whatever the case of its id', () => {
    const ofCustomer = relationshipsOfCustomer(relationships.value, '52EAAD04-13A2-4A2F-9CE8-93A294FADF36');

    expect(ofCustomer.map((relationship) => relationship.displayName)).toEqual([
      'Contoso admin relationship',
      'Fabrikam admin relationship',
    ]);
  });

  it('reads access assignments only of relationships that have not ended', () => {
    expect(relationships.value.map(toGdapRelationship).map(mayGrantAccess)).toEqual([true, false, true]);
    expect(mayGrantAccess({ id: 'r', displayName: 'r', status: 'expired', endDateTime: null, roleIds: [] })).toBe(false);
  });

  it("maps Microsoft's access assignments sample: group, status and roles", () => {
    expect(assignments.value.map((assignment) => toGdapAssignment('rel-1', assignment))).toEqual([
      {
        relationshipId: 'rel-1',
        status: 'active',
        groupId: '227a2f44-2682-4831-a021-f8d69a34bcba',
        roleIds: [
          '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
          '44367163-eba1-44c3-98af-f5787879f96a',
          '29232cdf-9323-42fd-ade2-1d097af3e4de',
          '62e90394-69f5-4237-9190-012177145e10',
        ],
      },
      {
        relationshipId: 'rel-1',
        status: 'active',
        groupId: '869713c9-0b28-4d08-8949-ae07ae1bf528',
        roleIds: [
          '29232cdf-9323-42fd-ade2-1d097af3e4de',
          'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
          '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          '3a2c62db-5318-420d-8d74-23affee5d9d5',
        ],
      },
    ]);
  });

  it('takes groups (not directory roles) from transitiveMemberOf, lower-cased and once each', () => {
    const ids = securityGroupIds([
      { '@odata.type': '#microsoft.graph.group', id: '227A2F44-2682-4831-A021-F8D69A34BCBA', displayName: 'GDAP' },
      {
        '@odata.type': '#microsoft.graph.directoryRole',
        id: 'a0b1c2d3-0000-0000-0000-000000000001',
        roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
      },
      { '@odata.type': '#microsoft.graph.group', id: '227a2f44-2682-4831-a021-f8d69a34bcba' },
      { id: '869713c9-0b28-4d08-8949-ae07ae1bf528' },
    ]);

    expect(ids).toEqual(['227a2f44-2682-4831-a021-f8d69a34bcba', '869713c9-0b28-4d08-8949-ae07ae1bf528']);
  });

  it('fills a missing status with Graph\'s own "unknownFutureValue" instead of failing', () => {
    expect(toGdapRelationship({ id: 'r-1' }).status).toBe('unknownFutureValue');
    expect(toGdapAssignment('r-1', { id: 'a-1' })).toEqual({
      relationshipId: 'r-1',
      status: 'unknownFutureValue',
      groupId: '',
      roleIds: [],
    });
  });
});
