import type { RouteRegistrar } from '../http/route-hooks';
import type { EmulatorState } from '../state/emulator-state';
import { registerApplicationConsentRoutes } from './application-consents.routes';
import { registerCustomerRoutes } from './customers.routes';
import { registerPartnerRoutes } from './partner.routes';
import { registerProductRoutes } from './products.routes';
import { registerSubscriptionRoutes } from './subscriptions.routes';

// api.partnercenter.microsoft.com: everything under /v1 (FACTS §2).
export function registerPartnerCenterRoutes(router: RouteRegistrar, state: EmulatorState): void {
  registerCustomerRoutes(router, state);
  registerSubscriptionRoutes(router, state);
  registerPartnerRoutes(router, state);
  registerApplicationConsentRoutes(router, state);
  registerProductRoutes(router, state);
}
