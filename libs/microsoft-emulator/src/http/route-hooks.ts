import type { RequestHandler, Router } from 'express';

// What the area modules need from a router: registering routes.
export type RouteRegistrar = Pick<Router, 'get' | 'post' | 'put' | 'patch' | 'delete'>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

// Registers every route with `hooks` in front of its handlers. Hooks run once the route matched, so they
// see req.route (the pattern, for request counts) and req.params (the customer id, for fault matching).
export function withRouteHooks(router: Router, hooks: RequestHandler[]): RouteRegistrar {
  const registrar = {} as Record<(typeof METHODS)[number], unknown>;
  for (const method of METHODS) {
    const register = router[method].bind(router) as (path: string, ...handlers: RequestHandler[]) => unknown;
    registrar[method] = (path: string, ...handlers: RequestHandler[]) => {
      register(path, ...hooks, ...handlers);
      return registrar;
    };
  }
  return registrar as unknown as RouteRegistrar;
}
