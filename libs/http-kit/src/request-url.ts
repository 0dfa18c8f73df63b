// The URL of one request: a path below the base URL (its path prefix kept), or an absolute URL (a next link) that
// must be on the base's origin, since the client sends its credentials with it.
export function resolveRequestUrl(base: URL, path: string, query: string, refuseOrigin: (url: URL) => Error): URL {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(path);
    if (url.origin !== base.origin) throw refuseOrigin(url);
  } else {
    const prefix = base.pathname.replace(/\/+$/, '');
    url = new URL(`${base.origin}${prefix}${path.startsWith('/') ? '' : '/'}${path}`);
  }
  if (query) url.search = url.search ? `${url.search}&${query}` : `?${query}`;
  return url;
}

// A JSON body, or undefined when it is empty or not JSON.
export function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Tells an attempt listener (metrics, logs); a listener that throws must never break a call.
export function notifyAttempt<Event>(listener: ((event: Event) => void) | undefined, event: Event): void {
  try {
    listener?.(event);
  } catch {
    // Metrics must never break a call.
  }
}
