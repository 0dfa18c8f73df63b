import type { RequestHandler } from 'express';
import type { EmulatorState } from '../state/emulator-state';

// Counts requests per route pattern ("POST /{tenant}/oauth2/v2.0/token") so tests can prove how
// often the app called Microsoft. The control API itself is not counted.
export function countRequests(state: EmulatorState): RequestHandler {
  return (req, res, next) => {
    // 'finish' fires before the server reads the client's next request, so counts are never stale.
    res.on('finish', () => {
      const route = req.route as { path?: unknown } | undefined;
      if (!route || typeof route.path !== 'string' || route.path.startsWith('/__emulator')) return;
      const key = `${req.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`;
      state.requestCounts.set(key, (state.requestCounts.get(key) ?? 0) + 1);
    });
    next();
  };
}
