// A tiny cookie-keeping HTTP client for end-to-end tests: what a browser does over HTTP, without the browser.
// Redirects are followed only on request, so tests can look at (and tamper with) each hop.

export interface WebResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  location?: string;
}

export class WebClient {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string, headers: Record<string, string> = {}): Promise<WebResponse> {
    return this.send(url, { method: 'GET', headers: { accept: 'text/html', ...headers } });
  }

  async postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<WebResponse> {
    return this.send(url, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  // Follows redirects from a response until one that is not a redirect (or until `stopAt` matches a Location).
  async follow(response: WebResponse, stopAt?: (location: string) => boolean): Promise<WebResponse> {
    let current = response;
    for (let hops = 0; current.location && hops < 20; hops++) {
      if (stopAt?.(current.location)) return current;
      current = await this.get(current.location);
    }
    return current;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(new URL(origin).host)?.get(name);
  }

  private async send(url: string, init: RequestInit & { headers: Record<string, string> }): Promise<WebResponse> {
    const host = new URL(url).host;
    const cookies = this.jar.get(host);
    if (cookies?.size) init.headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual' });
    this.store(host, response.headers.getSetCookie());
    const location = response.headers.get('location');
    return { status: response.status, url, headers: response.headers, text: await response.text(), location: location ? new URL(location, url).toString() : undefined };
  }

  private store(host: string, setCookies: string[]): void {
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(host, cookies);
  }
}

// The fields of the first <form> in an HTML page (hidden inputs included) and where it posts to.
export function readForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`No form on the page:\n${html.slice(0, 500)}`);
  const action = /action="([^"]*)"/i.exec(form[0])?.[1] ?? pageUrl;
  const fields: Record<string, string> = {};
  for (const input of form[1].matchAll(/<input\b[^>]*>/gi)) {
    const name = /name="([^"]*)"/i.exec(input[0])?.[1];
    if (name) fields[name] = decodeEntities(/value="([^"]*)"/i.exec(input[0])?.[1] ?? '');
  }
  return { action: new URL(decodeEntities(action), pageUrl).toString(), fields };
}

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=');
}
