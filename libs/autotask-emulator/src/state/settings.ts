// Behaviour switches of the emulator (POST /__autotask/settings, or `settings` at start).
export interface AutotaskEmulatorSettings {
  // The database's request threshold over a rolling timeframe, shared by every API user [ATLIM].
  threshold: number; // default 10,000
  timeframeMinutes: number; // default 60
  // Latency Autotask adds as usage climbs [ATLIM]; the steps are assumed (third-party reports: 0.5–1 s from 50%).
  usageLatency: { fromFraction: number; ms: number }[];
  // 'documented': 401 for a wrong secret, 500 for an unknown user name or tracking identifier (apigrate/autotask-restapi#19);
  // 'notFound': every authentication refusal answers 404, as some gateways do.
  authRefusal: 'documented' | 'notFound';
  // Status of a refused create/update (missing or invalid field). Reports show 500 with the errors array
  // (KelvinTegelaar/AutotaskAPI#26, #31, apigrate#19); nothing documents it: switchable.
  validationStatus: 400 | 500;
  pageSize: number; // at most this many records per page, default 500 [KT][ATADV]
}

export const DEFAULT_SETTINGS: AutotaskEmulatorSettings = {
  threshold: 10_000,
  timeframeMinutes: 60,
  usageLatency: [
    { fromFraction: 0.5, ms: 500 },
    { fromFraction: 0.75, ms: 1000 },
  ],
  authRefusal: 'documented',
  validationStatus: 500,
  pageSize: 500,
};

export function applySettingsPatch(
  current: AutotaskEmulatorSettings,
  patch: unknown,
): { ok: true; settings: AutotaskEmulatorSettings } | { ok: false; errors: string[] } {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return { ok: false, errors: ['Settings must be a JSON object.'] };
  const body = patch as Record<string, unknown>;
  const errors: string[] = [];
  const next = { ...current };
  for (const [name, value] of Object.entries(body)) {
    switch (name) {
      case 'threshold':
      case 'timeframeMinutes':
      case 'pageSize':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) errors.push(`"${name}" must be a positive integer.`);
        else next[name] = value;
        break;
      case 'usageLatency':
        if (
          !Array.isArray(value) ||
          !value.every((step) => typeof step?.fromFraction === 'number' && typeof step?.ms === 'number' && step.ms >= 0)
        ) {
          errors.push('"usageLatency" must be a list of {fromFraction, ms}.');
        } else next.usageLatency = value.map((step) => ({ fromFraction: step.fromFraction, ms: step.ms }));
        break;
      case 'authRefusal':
        if (value !== 'documented' && value !== 'notFound') errors.push('"authRefusal" must be "documented" or "notFound".');
        else next.authRefusal = value;
        break;
      case 'validationStatus':
        if (value !== 400 && value !== 500) errors.push('"validationStatus" must be 400 or 500.');
        else next.validationStatus = value;
        break;
      default:
        errors.push(`Unknown setting "${name}".`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: next };
}
