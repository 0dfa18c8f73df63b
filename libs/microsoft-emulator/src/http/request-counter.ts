import type { RequestHandler } from 'express';
import type { EmulatorState } from '../state/emulator-state';

// Counts requests per route pattern ("POST /{tenant}/oauth2/v2.0/token") so tests can prove how often the
// app called Microsoft, including calls that met an injected fault. A route hook: the control API, which
// is registered without hooks, is not counted.
export function countRequests(state: EmulatorState): RequestHandler {
  return (req, _res, next) => {
    const route = req.route as { path?: unknown } | undefined;
    if (route && typeof route.path === 'string') {
      const key = `${req.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`;
      state.requestCounts.set(key, (state.requestCounts.get(key) ?? 0) + 1);
    }
    next();
  };
}
