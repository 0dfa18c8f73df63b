// A tiny HTTP "browser" for tests: keeps cookies per host, never follows redirects by itself
// and reads the plain HTML forms of the emulator's sign-in pages. App e2e tests can use the
// same instance for the app's own pages.

export interface HtmlButton {
  name?: string;
  value?: string;
  label: string;
}

export interface HtmlForm {
  action: string; // absolute URL
  method: 'GET' | 'POST';
  fields: Record<string, string>; // named inputs with their current values
  buttons: HtmlButton[];
}

export interface BrowserResponse {
  url: string;
  status: number;
  headers: Headers;
  location?: string; // absolute, for 3xx responses
  html: string;
  page?: string; // the emulator page (<body data-page>): sign-in, mfa, consent, admin-consent, admin-approval, select-account, error, form-post, signed-out
  error?: string; // text of the page's role="alert" message
  forms: HtmlForm[];
}

export class EmulatorBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<BrowserResponse> {
    return this.request(url, { method: 'GET' });
  }

  async post(url: string, fields: Record<string, string>): Promise<BrowserResponse> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  // Submits a form like a click on the button with that label (its name=value is sent too).
  async submit(form: HtmlForm, values: Record<string, string> = {}, buttonLabel?: string): Promise<BrowserResponse> {
    const fields = { ...form.fields, ...values };
    if (buttonLabel !== undefined) {
      const button = form.buttons.find((candidate) => candidate.label === buttonLabel);
      if (!button) throw new Error(`No button "${buttonLabel}" in form ${form.action}`);
      if (button.name) fields[button.name] = button.value ?? '';
    }
    if (form.method === 'GET') {
      const url = new URL(form.action);
      for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
      return this.get(url.toString());
    }
    return this.post(form.action, fields);
  }

  cookies(url: string): Record<string, string> {
    return Object.fromEntries(this.jar.get(new URL(url).hostname) ?? []);
  }

  clearCookies(): void {
    this.jar.clear();
  }

  private async request(url: string, init: RequestInit): Promise<BrowserResponse> {
    const cookieHeader = Object.entries(this.cookies(url))
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    if (cookieHeader) headers.set('cookie', cookieHeader);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, response.headers.getSetCookie());
    const html = await response.text();
    const location = response.headers.get('location');
    return {
      url,
      status: response.status,
      headers: response.headers,
      location: location ? new URL(location, url).toString() : undefined,
      html,
      page: /<body[^>]*\sdata-page="([^"]*)"/.exec(html)?.[1],
      error: textOf(/<div[^>]*\bid="error"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1]),
      forms: parseForms(html, url),
    };
  }

  private store(url: string, setCookies: string[]): void {
    const host = new URL(url).hostname;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const expired = attributes.some((attribute) => {
        const [key, value = ''] = attribute.split('=').map((part) => part.trim());
        return (
          (key.toLowerCase() === 'max-age' && Number(value) <= 0) || (key.toLowerCase() === 'expires' && Date.parse(value) <= Date.now())
        );
      });
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(separator + 1).trim());
    }
    this.jar.set(host, cookies);
  }
}

function parseForms(html: string, pageUrl: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, attributeText, inner]) => {
    const attributes = attributesOf(attributeText);
    const fields: Record<string, string> = {};
    const buttons: HtmlButton[] = [];
    for (const [, inputAttributes] of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const input = attributesOf(inputAttributes);
      const type = (input.type ?? '').toLowerCase();
      if (type === 'submit') buttons.push({ name: input.name, value: input.value, label: input.value ?? 'Submit' });
      // Like a browser: an unticked checkbox or radio button is not sent.
      else if ((type === 'checkbox' || type === 'radio') && !('checked' in input)) continue;
      else if (input.name) fields[input.name] = input.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '');
    }
    for (const [, buttonAttributes, label] of inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const button = attributesOf(buttonAttributes);
      buttons.push({ name: button.name, value: button.value, label: textOf(label) ?? '' });
    }
    return {
      action: new URL(attributes.action ?? pageUrl, pageUrl).toString(),
      method: (attributes.method ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET',
      fields,
      buttons,
    };
  });
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) attributes[name.toLowerCase()] = decodeEntities(value ?? '');
  return attributes;
}

function textOf(html: string | undefined): string | undefined {
  if (html === undefined) return undefined;
  return decodeEntities(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
