import type { ServicePlan, Sku } from './scenario';

// Entra built-in role template ids (permissions-reference.md), the roleDefinitionIds of GDAP.
export const ROLE_IDS = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  licenseAdministrator: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
} as const;

// Roles that can read licences and organization data in a customer directory through GDAP
// (subscribedSku-list.md: Global Reader, Directory Readers; Global Administrator can do everything).
export const DIRECTORY_READ_ROLES: readonly string[] = [ROLE_IDS.globalAdministrator, ROLE_IDS.globalReader, ROLE_IDS.directoryReaders];

// Roles that let a partner user list a customer's licences through Partner Center (get-a-list-of-available-licenses,
// "GDAP roles": Directory Reader, Global Reader, User Administrator, License Administrator; Global Administrator
// holds every permission of those).
export const LICENCE_READ_ROLES: readonly string[] = [
  ROLE_IDS.globalAdministrator,
  ROLE_IDS.globalReader,
  ROLE_IDS.directoryReaders,
  ROLE_IDS.userAdministrator,
  ROLE_IDS.licenseAdministrator,
];

const plan = (id: string, serviceName: string, displayName: string, appliesTo: 'User' | 'Company' = 'User'): ServicePlan => ({
  id,
  serviceName,
  displayName,
  appliesTo,
});

const PLANS = {
  exchangePlan1: plan('9aaf7827-d63c-4b61-89c3-182f06f82e5c', 'EXCHANGE_S_STANDARD', 'Exchange Online (Plan 1)'),
  exchangePlan2: plan('efb87545-963c-4e0d-99df-69c6916d9eb0', 'EXCHANGE_S_ENTERPRISE', 'Exchange Online (Plan 2)'),
  exchangeFoundation: plan('113feb6c-3fe4-4440-bddc-54d774bf0318', 'EXCHANGE_S_FOUNDATION', 'Exchange Foundation', 'Company'),
  sharePointPlan1: plan('c7699d2e-19aa-44de-8edf-1736da088ca1', 'SHAREPOINTSTANDARD', 'SharePoint (Plan 1)'),
  sharePointPlan2: plan('5dbe027f-2339-4123-9542-606e4d348a72', 'SHAREPOINTENTERPRISE', 'SharePoint (Plan 2)'),
  teams: plan('57ff2da0-773e-42df-b2af-ffb7a2317929', 'TEAMS1', 'Microsoft Teams'),
  appsForBusiness: plan('094e7854-93fc-4d55-b2c0-3ab5369ebdc1', 'OFFICE_BUSINESS', 'Microsoft 365 Apps for business'),
  appsForEnterprise: plan('43de0ff5-c92c-492b-9116-175376d08c38', 'OFFICESUBSCRIPTION', 'Microsoft 365 Apps for enterprise'),
  intune: plan('c1ec4a95-1f05-45b3-a911-aa3fa01094f5', 'INTUNE_A', 'Microsoft Intune Plan 1'),
  entraP1: plan('41781fb2-bc02-4b7c-bd55-b576c07bb09d', 'AAD_PREMIUM', 'Microsoft Entra ID P1'),
  entraP2: plan('eec0eb4f-6444-4f95-aba0-50c24d67f998', 'AAD_PREMIUM_P2', 'Microsoft Entra ID P2'),
  powerBiPro: plan('70d33638-9c74-4d01-bfd3-562de28bd4ba', 'BI_AZURE_P2', 'Power BI Pro'),
  copilotApps: plan('a62f8878-de10-42f3-b68f-6149a25ceb97', 'M365_COPILOT_APPS', 'Microsoft 365 Copilot in Productivity Apps'),
  visioDesktop: plan('663a804f-1c30-4ff0-9915-9db84f0d1cea', 'VISIO_CLIENT_SUBSCRIPTION', 'Visio Desktop App'),
  visioWeb: plan('2bdbaf8f-738f-4ac7-9234-3c3ee2ce7d0f', 'VISIOONLINE', 'Visio Web App'),
};

// Real Microsoft 365 skuIds / skuPartNumbers (licensing-service-plan-reference); NCE product ids as in
// the Partner Center catalogue. Availability ids are the emulator's own.
export const SKU_CATALOG = {
  businessBasic: sku(
    '3b555118-da6a-4418-894f-7df1e2096870',
    'O365_BUSINESS_ESSENTIALS',
    'Microsoft 365 Business Basic',
    'CFQ7TTC0LH18',
    '0001',
    'CFQ7TTC0K5DJ',
    [PLANS.exchangePlan1, PLANS.sharePointPlan1, PLANS.teams],
  ),
  businessStandard: sku(
    'f245ecc8-75af-4f8e-b61f-27d8114de5f3',
    'O365_BUSINESS_PREMIUM',
    'Microsoft 365 Business Standard',
    'CFQ7TTC0LDPB',
    '0001',
    'CFQ7TTC0K5BQ',
    [PLANS.exchangePlan1, PLANS.sharePointPlan1, PLANS.teams, PLANS.appsForBusiness],
  ),
  businessPremium: sku(
    'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46',
    'SPB',
    'Microsoft 365 Business Premium',
    'CFQ7TTC0LCHC',
    '0002',
    'CFQ7TTC0K5BF',
    [PLANS.exchangePlan1, PLANS.teams, PLANS.appsForBusiness, PLANS.intune, PLANS.entraP1],
  ),
  e3: sku('05e9a617-0261-4cee-bb44-138d3ef5d965', 'SPE_E3', 'Microsoft 365 E3', 'CFQ7TTC0LFLX', '0001', 'CFQ7TTC0K5CT', [
    PLANS.exchangePlan2,
    PLANS.sharePointPlan2,
    PLANS.appsForEnterprise,
    PLANS.intune,
    PLANS.entraP1,
  ]),
  e5: sku('06ebc4ee-1bb5-47dd-8120-11324bc54e06', 'SPE_E5', 'Microsoft 365 E5', 'CFQ7TTC0LFK5', '0002', 'CFQ7TTC0K5CV', [
    PLANS.exchangePlan2,
    PLANS.appsForEnterprise,
    PLANS.entraP2,
    PLANS.powerBiPro,
  ]),
  exchangePlan1: sku(
    '4b9405b0-7788-4568-add1-99614e613b69',
    'EXCHANGESTANDARD',
    'Exchange Online (Plan 1)',
    'CFQ7TTC0LH16',
    '0001',
    'CFQ7TTC0K5D2',
    [PLANS.exchangePlan1],
  ),
  teamsEssentials: sku(
    '3ab6abff-666f-4424-bfb7-f0bc274ec7bc',
    'TEAMS_ESSENTIALS_AAD',
    'Microsoft Teams Essentials (AAD Identity)',
    'CFQ7TTC0QW7C',
    '0001',
    'CFQ7TTC0M1W2',
    [PLANS.teams],
  ),
  copilot: sku(
    '639dec6b-bb19-468b-871c-c5c441c4b0cb',
    'Microsoft_365_Copilot',
    'Microsoft 365 Copilot',
    'CFQ7TTC0MM8R',
    '0002',
    'CFQ7TTC0N1XK',
    [PLANS.copilotApps],
  ),
  powerBiPro: sku('f8a1db68-be16-40ed-86d5-cb42ce701560', 'POWER_BI_PRO', 'Power BI Pro', 'CFQ7TTC0L3PB', '0001', 'CFQ7TTC0K5F0', [
    PLANS.exchangeFoundation,
    PLANS.powerBiPro,
  ]),
  visioPlan2: sku('c5928f49-12ba-48f7-ada3-0d743a3601d5', 'VISIOCLIENT', 'Visio Plan 2', 'CFQ7TTC0HD33', '0002', 'CFQ7TTC0K5DW', [
    PLANS.visioDesktop,
    PLANS.visioWeb,
  ]),
  // Unknown to Sync 365's hand-written SKU list: named only by Partner Center's catalogue (GET /v1/products/…/skus/…).
  // skuId and part number from Microsoft's licensing service plan reference; the NCE product id is the emulator's.
  e5Security: sku(
    '26124093-3d78-432b-b5dc-48bf992543d5',
    'IDENTITY_THREAT_PROTECTION',
    'Microsoft 365 E5 Security',
    'CFQ7TTC0LFSB',
    '0001',
    'CFQ7TTC0K5FS',
    [PLANS.entraP2],
  ),
} as const satisfies Record<string, Sku>;

export type SkuKey = keyof typeof SKU_CATALOG;

export function skuCatalog(): Sku[] {
  return Object.values(SKU_CATALOG).map((entry) => structuredClone(entry));
}

function sku(
  skuId: string,
  skuPartNumber: string,
  productName: string,
  productId: string,
  skuCode: string,
  availabilityId: string,
  servicePlans: ServicePlan[],
): Sku {
  return { skuId, skuPartNumber, productName, productId, skuCode, availabilityId, servicePlans };
}
