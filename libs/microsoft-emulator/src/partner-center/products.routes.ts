import { param } from '../identity/authorize-request';
import type { RouteRegistrar } from '../http/route-hooks';
import type { EmulatorState } from '../state/emulator-state';
import { FAULTS, sendApiFault } from './api-fault';
import { partnerCenterGate } from './partner-center-auth';
import { link } from './resources';

// The Partner Center catalogue: a subscription's links.sku points here (get-a-sku-by-id.md). App-only and App+User
// credentials both work; the catalogue is the same for every partner, so no role and no customer are checked.
export function registerProductRoutes(router: RouteRegistrar, state: EmulatorState): void {
  const gate = partnerCenterGate(state, { throttleGroup: 'products', requiresAdminAgent: false, allowsIndirectReseller: false });

  // get-a-sku-by-id.md: GET /v1/products/{product-id}/skus/{sku-id}?country={country-code}; 404 400013 (product)
  // or 400018 (SKU) when unknown.
  router.get('/v1/products/:productId/skus/:skuId', gate, (req, res) => {
    const country = param(req.query as Record<string, unknown>, 'country');
    if (!country || !/^[A-Za-z]{2}$/.test(country))
      return sendApiFault(req, res, FAULTS.invalidInput('The "country" query parameter (a two-letter country code) is required.'));
    const productId = String(req.params.productId).toUpperCase();
    const skuCode = String(req.params.skuId).toUpperCase();
    const ofProduct = state.world.skus().filter((sku) => sku.productId.toUpperCase() === productId);
    if (ofProduct.length === 0) return sendApiFault(req, res, FAULTS.productNotFound);
    const sku = ofProduct.find((candidate) => candidate.skuCode.toUpperCase() === skuCode);
    if (!sku) return sendApiFault(req, res, FAULTS.catalogueSkuNotFound);
    const path = `/products/${sku.productId}/skus/${sku.skuCode}`;
    const cc = country.toLowerCase();
    // The documented sample's shape (product-resources.md, SKU); the emulator's catalogue has no dynamic attributes.
    res.json({
      id: sku.skuCode,
      productId: sku.productId,
      title: sku.productName,
      description: `${sku.productName} (${sku.skuPartNumber}), licensed per user.`,
      minimumQuantity: 1,
      maximumQuantity: 300_000,
      isTrial: false,
      supportedBillingCycles: ['monthly', 'annual'],
      purchasePrerequisites: [],
      inventoryVariables: [],
      provisioningVariables: [],
      dynamicAttributes: {},
      links: {
        availabilities: link(`${path}/availabilities?country=${cc}`),
        self: link(`${path}?country=${cc}`),
      },
    });
  });
}
