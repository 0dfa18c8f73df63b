import type { RouteRegistrar } from '../http/route-hooks';
import type { EmulatorState } from '../state/emulator-state';
import { registerAuthorizeRoutes } from './authorize.routes';
import { registerDiscoveryRoutes } from './discovery.routes';
import { registerTokenRoutes } from './token.routes';

// login.microsoftonline.com: discovery, keys, authorize + sign-in pages, token, logout.
export function registerIdentityRoutes(router: RouteRegistrar, state: EmulatorState): void {
  registerDiscoveryRoutes(router, state);
  registerAuthorizeRoutes(router, state);
  registerTokenRoutes(router, state);
}
