// What the local emulators (libs/*-emulator) share: fault rules and the hook and control API that apply them,
// the sliding-window rate limiter, serving an app on a local port, and the stand-alone launcher. Knows no emulated
// system.
export { FaultRegistry, globToRegExp, type FaultRegistryOptions, type FaultRule } from './fault-registry';
export {
  delay,
  injectFaults,
  registerFaultRoutes,
  retryAfterHeaders,
  sendTruncatedBodies,
  type FaultControl,
  type FaultInjectionOptions,
} from './fault-injection';
export { launch } from './launcher';
export { RateLimiter, type ThrottleDecision } from './rate-limiter';
export { publicHost, serve, type ServeOptions, type Serving } from './serve';
