import { connectionCredentials, connectionLabel } from './psa-connection';
import { normalizedName, suggestAgreement, suggestCompany, suggestProduct } from './psa-mapping';

describe('PSA mapping suggestions', () => {
  const companies = [
    { id: '1', name: 'Margie’s Travel', identifier: 'MargiesTravel', website: 'www.margiestravel.example' },
    { id: '2', name: 'Adatum Corporation', identifier: 'Adatum', website: '' },
  ];

  it('matches names without legal suffixes or punctuation, then the domain against identifier or website', () => {
    expect(normalizedName('Adatum Corp.')).toBe('adatum');
    expect(suggestCompany({ companyName: 'Adatum Corp', domain: 'x.example' }, companies)?.value.id).toBe('2');
    expect(suggestCompany({ companyName: 'M. Travel', domain: 'margiestravel.example' }, companies)).toMatchObject({
      value: { id: '1' },
      because: expect.stringContaining('Domain'),
    });
    expect(suggestCompany({ companyName: 'Nobody', domain: 'nobody.example' }, companies)).toBeNull();
  });

  it('picks the only agreement, or the one named for Microsoft, never a guess between several', () => {
    const a = (id: string, name: string) => ({ id, companyId: '1', name });
    expect(suggestAgreement([a('1', 'Support')])?.value.id).toBe('1');
    expect(suggestAgreement([a('1', 'Support'), a('2', 'Microsoft 365 licences')])?.value.id).toBe('2');
    expect(suggestAgreement([a('1', 'Support'), a('2', 'Backup')])).toBeNull();
  });

  it('matches products by code first, then name', () => {
    const products = [
      { id: '7', code: 'M365-E3', name: 'Microsoft 365 E3' },
      { id: '8', code: 'E3-OLD', name: 'Managed E3' },
    ];
    expect(suggestProduct({ productName: 'Managed E3', productCode: 'm365-e3' }, products)?.value.id).toBe('7');
    expect(suggestProduct({ productName: 'Managed E3', productCode: '' }, products)?.value.id).toBe('8');
    expect(suggestProduct({ productName: 'Visio', productCode: 'VIS' }, products)).toBeNull();
    // The partner's own names for Microsoft's products, when only one product is that close.
    const catalog = [
      { id: '1', code: 'M365-BUS-BASIC', name: 'Microsoft 365 Business Basic' },
      { id: '2', code: 'M365-E3', name: 'Microsoft 365 E3' },
      { id: '3', code: 'M365-E5', name: 'Microsoft 365 E5' },
    ];
    expect(suggestProduct({ productName: 'Managed Business Basic', productCode: 'MSP-BB' }, catalog)).toMatchObject({
      value: { id: '1' },
      because: 'Similar name: Microsoft 365 Business Basic',
    });
    expect(suggestProduct({ productName: 'Managed Microsoft 365 E3 (annual)', productCode: 'MSP-E3-Y' }, catalog)?.value.id).toBe('2');
    expect(suggestProduct({ productName: 'Managed Microsoft 365', productCode: '' }, catalog)).toBeNull();
  });
});

describe('PSA connection forms', () => {
  it('reads ConnectWise and Autotask credentials and labels them without any secret', () => {
    const cw = connectionCredentials('connectwise', {
      siteUrl: 'na.myconnectwise.net/',
      companyId: 'contoso',
      publicKey: 'p',
      privateKey: 's',
      clientId: '7c1f0b9e-3a52-4d8e-9b61-2f4a6c8d0e13',
    });
    expect(cw).toMatchObject({ siteUrl: 'https://na.myconnectwise.net' });
    expect(connectionLabel(cw)).toBe('na.myconnectwise.net, company contoso');
    const at = connectionCredentials('autotask', {
      userName: 'api@contoso.example',
      secret: 's',
      integrationCode: 'C',
      discoveryUrl: 'http://127.0.0.1:3481/ATServicesRest/',
    });
    expect(at).toMatchObject({ discoveryUrl: 'http://127.0.0.1:3481/ATServicesRest' });
    expect(connectionLabel(at)).toBe('API user api@contoso.example');
    expect(() => connectionCredentials('connectwise', { siteUrl: 'ftp://x' })).toThrow(/https/);
  });
});
