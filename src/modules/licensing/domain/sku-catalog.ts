import { isGuid } from '../../../shared/domain/guid';
// Friendly names of common Microsoft 365 SKUs, so a licence never shows up as a bare GUID. Partner Center usually
// sends a product name with each subscribed SKU; the catalogue is preferred because it is stable and current.
// Ids and part numbers are Microsoft's "Product names and service plan identifiers for licensing"
// (learn.microsoft.com/entra/identity/users/licensing-service-plan-reference, "GUID" = skuId, "String ID" =
// skuPartNumber). Entries whose GUID was not checked against that page match by part number only (skuId null).

export interface CatalogueEntry {
  skuId: string | null;
  skuPartNumber: string;
  name: string;
}

const entry = (skuId: string | null, skuPartNumber: string, name: string): CatalogueEntry => ({ skuId, skuPartNumber, name });

export const SKU_CATALOGUE: readonly CatalogueEntry[] = [
  // Microsoft 365 for business
  entry('3b555118-da6a-4418-894f-7df1e2096870', 'O365_BUSINESS_ESSENTIALS', 'Microsoft 365 Business Basic'),
  entry('dab7782a-93b1-4074-8bb1-0e61318bea0b', 'SMB_BUSINESS_ESSENTIALS', 'Microsoft 365 Business Basic'),
  entry('f245ecc8-75af-4f8e-b61f-27d8114de5f3', 'O365_BUSINESS_PREMIUM', 'Microsoft 365 Business Standard'),
  entry('cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', 'SPB', 'Microsoft 365 Business Premium'),
  entry('cdd28e44-67e3-425e-be4c-737fab2899d3', 'O365_BUSINESS', 'Microsoft 365 Apps for business'),
  entry('c2273bd0-dff7-4215-9ef5-2c7bcfb06425', 'OFFICESUBSCRIPTION', 'Microsoft 365 Apps for enterprise'),
  // Microsoft 365 and Office 365 enterprise and frontline
  entry('05e9a617-0261-4cee-bb44-138d3ef5d965', 'SPE_E3', 'Microsoft 365 E3'),
  entry('dcf0408c-aaec-446c-afd4-43e3683943ea', 'Microsoft_365_E3_(no_Teams)', 'Microsoft 365 E3 (no Teams)'),
  entry('06ebc4ee-1bb5-47dd-8120-11324bc54e06', 'SPE_E5', 'Microsoft 365 E5'),
  entry('18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e', 'Microsoft_365_E5_(no_Teams)', 'Microsoft 365 E5 (no Teams)'),
  entry('44575883-256e-4a79-9da4-ebe9acabe2b2', 'M365_F1', 'Microsoft 365 F1'),
  entry('66b55226-6b4f-492c-910c-a3b7a3c9d993', 'SPE_F1', 'Microsoft 365 F3'),
  entry(null, 'STANDARDPACK', 'Office 365 E1'),
  entry('6fd2c87f-b296-42f0-b197-1e91e994b900', 'ENTERPRISEPACK', 'Office 365 E3'),
  entry('46c3a859-c90d-40b3-9551-6178a48d5c18', 'Office_365_E3_(no_Teams)', 'Office 365 E3 (no Teams)'),
  entry('c7df2760-2c81-4ef7-b578-5b5392b571df', 'ENTERPRISEPREMIUM', 'Office 365 E5'),
  // Exchange Online
  entry('4b9405b0-7788-4568-add1-99614e613b69', 'EXCHANGESTANDARD', 'Exchange Online (Plan 1)'),
  entry('19ec0d23-8335-4cbd-94ac-6050e30712fa', 'EXCHANGEENTERPRISE', 'Exchange Online (Plan 2)'),
  entry('80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82', 'EXCHANGEDESKLESS', 'Exchange Online Kiosk'),
  entry('7fc0182e-d107-4556-8329-7caaa511197b', 'EXCHANGEESSENTIALS', 'Exchange Online Essentials'),
  entry('ee02fd1b-340e-4a4b-b355-4a514e4c8943', 'EXCHANGEARCHIVE_ADDON', 'Exchange Online Archiving for Exchange Online'),
  // Teams
  entry('fde42873-30b6-436b-b361-21af5a6b84ae', 'Teams_Ess', 'Microsoft Teams Essentials'),
  entry('3ab6abff-666f-4424-bfb7-f0bc274ec7bc', 'TEAMS_ESSENTIALS_AAD', 'Microsoft Teams Essentials (Microsoft Entra identity)'),
  entry('710779e8-3d4a-4c88-adb9-386c958d1fdf', 'TEAMS_EXPLORATORY', 'Microsoft Teams Exploratory'),
  entry('16ddbbfc-09ea-4de2-b1d7-312db6112d70', 'TEAMS_FREE', 'Microsoft Teams (Free)'),
  entry('e43b5b99-8dfb-405f-9987-dc307f34bcbd', 'MCOEV', 'Microsoft Teams Phone Standard'),
  entry('4cde982a-ede4-4409-9ae6-b003453c8ea6', 'Microsoft_Teams_Rooms_Pro', 'Microsoft Teams Rooms Pro'),
  // Copilot
  entry('639dec6b-bb19-468b-871c-c5c441c4b0cb', 'Microsoft_365_Copilot', 'Microsoft 365 Copilot'),
  entry('a809996b-059e-42e2-9866-db24b99a9782', 'M365_Copilot', 'Microsoft 365 Copilot'),
  // Power BI / Fabric (Power BI Pro's id is also in Microsoft's Partner Center subscribedskus sample)
  entry('f8a1db68-be16-40ed-86d5-cb42ce701560', 'POWER_BI_PRO', 'Power BI Pro'),
  entry(null, 'PBI_PREMIUM_PER_USER', 'Power BI Premium Per User'),
  entry('a403ebcc-fae0-4ca2-8c8c-7a907fd6c235', 'POWER_BI_STANDARD', 'Microsoft Fabric (Free)'),
  // Visio and Project
  entry('ca7f3140-d88c-455b-9a1c-7f0679e31a76', 'VISIO_PLAN1_DEPT', 'Visio Plan 1'),
  entry('38b434d2-a15e-4cde-9a98-e737c75623e1', 'VISIO_PLAN2_DEPT', 'Visio Plan 2'),
  entry('c5928f49-12ba-48f7-ada3-0d743a3601d5', 'VISIOCLIENT', 'Visio Plan 2'),
  entry('beb6439c-caad-48d3-bf46-0c82871e12be', 'PROJECT_P1', 'Planner Plan 1'),
  entry('776df282-9fc0-4862-99e2-70e561b9909e', 'PROJECTESSENTIALS', 'Project Online Essentials'),
  entry('53818b1b-4a27-454b-8896-0dba576410e6', 'PROJECTPROFESSIONAL', 'Project Plan 3'),
  entry('09015f9f-377f-4538-bbb5-f75ceb09358a', 'PROJECTPREMIUM', 'Project Plan 5'),
  // Security, device management and identity
  entry('5e1e7702-a2b7-4360-8d07-2f515792896f', 'MDE_SMB', 'Microsoft Defender for Business'),
  entry('16a55f2f-ff35-4cd5-9146-fb784e3761a5', 'DEFENDER_ENDPOINT_P1', 'Microsoft Defender for Endpoint P1'),
  entry('111046dd-295b-4d6d-9724-d52ac90bd1f2', 'WIN_DEF_ATP', 'Microsoft Defender for Endpoint P2'),
  entry('4ef96642-f096-40de-a3e9-d83fb2f90211', 'ATP_ENTERPRISE', 'Microsoft Defender for Office 365 (Plan 1)'),
  entry(null, 'THREAT_INTELLIGENCE', 'Microsoft Defender for Office 365 (Plan 2)'),
  entry('98defdf7-f6c1-44f5-a1f6-943b6764e7a5', 'ATA', 'Microsoft Defender for Identity'),
  entry(null, 'INTUNE_A', 'Microsoft Intune Plan 1'),
  entry('a929cd4d-8672-47c9-8664-159c1f322ba8', 'Microsoft_Intune_Suite', 'Microsoft Intune Suite'),
  entry('078d2b04-f1bd-4111-bbd4-b4b1b354cef4', 'AAD_PREMIUM', 'Microsoft Entra ID P1'),
  entry('84a661c4-e949-4bd2-a560-ed7766fcaf2b', 'AAD_PREMIUM_P2', 'Microsoft Entra ID P2'),
  entry('efccb6f7-5641-4e0e-bd10-b4976e1bf68e', 'EMS', 'Enterprise Mobility + Security E3'),
  entry('b05e124f-c7cc-45a0-a6aa-8cf78c946968', 'EMSPREMIUM', 'Enterprise Mobility + Security E5'),
];

const BY_SKU_ID = new Map(SKU_CATALOGUE.filter((e) => e.skuId).map((e) => [e.skuId as string, e.name]));
// Part numbers are matched without regard to case: Microsoft spells some of them in mixed case.
const BY_PART_NUMBER = new Map(SKU_CATALOGUE.map((e) => [e.skuPartNumber.toUpperCase(), e.name]));

export function catalogueName(sku: { skuId: string; skuPartNumber: string }): string | null {
  return BY_SKU_ID.get(sku.skuId.trim().toLowerCase()) ?? BY_PART_NUMBER.get(sku.skuPartNumber.trim().toUpperCase()) ?? null;
}

// What people see for a licence: Microsoft's own catalogue title (Partner Center GET /v1/products/…/skus/…, learnt
// through the SKU's subscription, FACTS.md §7a.8), else this hand-written list, else Partner Center's product name,
// else the part number; never a bare GUID (Partner Center sometimes puts the id where the name belongs).
export function productName(sku: {
  skuId: string;
  skuPartNumber: string;
  partnerCenterName: string | null;
  microsoftCatalogueName?: string | null;
}): string {
  const fromMicrosoft = sku.microsoftCatalogueName?.trim();
  if (fromMicrosoft && !isGuid(fromMicrosoft)) return fromMicrosoft;
  const fromCatalogue = catalogueName(sku);
  if (fromCatalogue) return fromCatalogue;
  const fromPartnerCenter = sku.partnerCenterName?.trim();
  if (fromPartnerCenter && !isGuid(fromPartnerCenter)) return fromPartnerCenter;
  const partNumber = sku.skuPartNumber.trim();
  if (partNumber && !isGuid(partNumber)) return partNumber;
  return 'Unnamed Microsoft product';
}

// SKUs Microsoft gives away (viral and free sign-ups): nobody bills for them, so they raise no reconciliation
// discrepancy and need no exclusion.
const FREE_PART_NUMBERS = new Set([
  'POWER_BI_STANDARD',
  'TEAMS_EXPLORATORY',
  'TEAMS_FREE',
  'FLOW_FREE',
  'POWERAPPS_VIRAL',
  'POWERAPPS_DEV',
  'WINDOWS_STORE',
  'STREAM',
  'CCIBOTS_PRIVPREV_VIRAL',
  'RIGHTSMANAGEMENT_ADHOC',
  'MICROSOFT_BUSINESS_CENTER',
]);

export function isFreeSku(sku: { skuPartNumber: string }): boolean {
  return FREE_PART_NUMBERS.has(sku.skuPartNumber.trim().toUpperCase());
}
