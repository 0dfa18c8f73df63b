const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Microsoft's ids (tenants, users, SKUs, apps) and ours are GUIDs.
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}
