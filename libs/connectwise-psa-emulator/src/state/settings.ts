// Behaviour switches a test (or the demo) may change at run time: POST /__emulator/settings or emulator.updateSettings.
export interface ConnectWiseEmulatorSettings {
  // What wrong credentials (company id, public or private key) answer: 401 like on-premises, or 404 like ConnectWise
  // cloud sometimes does (CWDOC: "on cloud, bad auth may show as 404").
  badCredentialsStatus: 401 | 404;
  // Requests per API member per sliding window; null = no limit. ConnectWise publishes no number (FACTS §1): the
  // default is a guess, low enough to be met by a storm, high enough for a normal sync.
  rateLimit: { limit: number; windowSeconds: number } | null;
  defaultPageSize: number; // 25 (CWREST)
  maxPageSize: number; // 1000 (CWDOC)
  latencyMs: number; // added to every API answer
}

export const DEFAULT_SETTINGS: ConnectWiseEmulatorSettings = {
  badCredentialsStatus: 401,
  rateLimit: { limit: 600, windowSeconds: 60 },
  defaultPageSize: 25,
  maxPageSize: 1000,
  latencyMs: 0,
};

export function applySettingsPatch(
  current: ConnectWiseEmulatorSettings,
  patch: unknown,
): { ok: true; settings: ConnectWiseEmulatorSettings } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return { ok: false, errors: ['Settings must be a JSON object.'] };
  const body = patch as Record<string, unknown>;
  const next: ConnectWiseEmulatorSettings = { ...current };
  for (const [name, value] of Object.entries(body)) {
    switch (name) {
      case 'badCredentialsStatus':
        if (value !== 401 && value !== 404) errors.push('"badCredentialsStatus" must be 401 or 404.');
        else next.badCredentialsStatus = value;
        break;
      case 'rateLimit': {
        if (value === null) {
          next.rateLimit = null;
          break;
        }
        const limit = (value as { limit?: unknown })?.limit ?? current.rateLimit?.limit ?? 600;
        const windowSeconds = (value as { windowSeconds?: unknown })?.windowSeconds ?? current.rateLimit?.windowSeconds ?? 60;
        if (!isPositiveInteger(limit) || !isPositiveInteger(windowSeconds))
          errors.push('"rateLimit" must be null or {"limit": n, "windowSeconds": s} with positive integers.');
        else next.rateLimit = { limit, windowSeconds };
        break;
      }
      case 'defaultPageSize':
      case 'maxPageSize':
      case 'latencyMs':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < (name === 'latencyMs' ? 0 : 1))
          errors.push(`"${name}" must be a ${name === 'latencyMs' ? 'non-negative' : 'positive'} integer.`);
        else next[name] = value;
        break;
      default:
        errors.push(`Unknown setting "${name}".`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: next };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
