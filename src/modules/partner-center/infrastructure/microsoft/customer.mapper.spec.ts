import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnerCenterCollection, PartnerCenterCustomer } from '../../../../../libs/microsoft/src';
import { projectRoot } from '../../../../shared/infrastructure/project-root';
import { toCustomerSummary } from './customer.mapper';
import { UnexpectedWireShapeError } from './wire-value.mapper';

const sample: PartnerCenterCollection<PartnerCenterCustomer> = JSON.parse(
  readFileSync(join(projectRoot, 'test/fixtures/microsoft/pc-customers-list.json'), 'utf8'),
);

describe('customer mapper (Partner Center customer → CustomerSummary)', () => {
  it('maps Microsoft\'s list sample, taking the tenant id from `id` where the profile holds the "<guid>" placeholder', () => {
    expect(sample.items.map(toCustomerSummary)).toEqual([
      { tenantId: 'b44bb1fb-c595-45b0-9e09-d657365580bf', companyName: 'companyName', domain: 'domain', relationship: 'reseller' },
      { tenantId: '45c44870-ef77-4fdd-b6fe-3dacb075cff2', companyName: 'companyName', domain: 'domain', relationship: 'reseller' },
    ]);
  });

  it("prefers the company profile's tenant id when it is a GUID, in lower case, and lower-cases the domain", () => {
    const summary = toCustomerSummary({
      id: 'B44BB1FB-C595-45B0-9E09-D657365580BF',
      companyProfile: { tenantId: '52EAAD04-13A2-4A2F-9CE8-93A294FADF36', domain: 'Contoso.OnMicrosoft.com', companyName: 'Contoso' },
      relationshipToPartner: 'advisor',
    });

    expect(summary).toEqual({
      tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36',
      companyName: 'Contoso',
      domain: 'contoso.onmicrosoft.com',
      relationship: 'advisor',
    });
  });

  it('fills a missing company name and relationship instead of failing, and ignores fields it does not know', () => {
    const summary = toCustomerSummary({
      id: 'b44bb1fb-c595-45b0-9e09-d657365580bf',
      companyProfile: { domain: 'fabrikam.example' },
      somethingNew: { nested: true },
    } as PartnerCenterCustomer);

    expect(summary).toEqual({
      tenantId: 'b44bb1fb-c595-45b0-9e09-d657365580bf',
      companyName: 'fabrikam.example',
      domain: 'fabrikam.example',
      relationship: 'unknown',
    });
  });

  it('refuses a customer that carries no tenant id at all', () => {
    expect(() => toCustomerSummary({ companyProfile: { companyName: 'Nobody' } } as PartnerCenterCustomer)).toThrow(
      UnexpectedWireShapeError,
    );
  });
});
