/** One hop of a navigation: the URL asked for and what came back. */
export interface Hop {
  url: URL;
  status: number;
  location: URL | null;
}

/**
 * Just enough of a browser for a redirect chain over fetch: follows Location by hand and keeps each host's cookies
 * (by host and port, so the provider's and the app's cookies on 127.0.0.1 stay apart; paths are not told apart).
 */
export class CookieBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  cookie(url: string | URL, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  async get(url: string | URL): Promise<Response> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.host) ?? new Map<string, string>())].map(([name, value]) => `${name}=${value}`);
    const response = await fetch(target, { redirect: 'manual', headers: cookies.length ? { cookie: cookies.join('; ') } : {} });
    this.keep(target, response.headers.getSetCookie());
    return response;
  }

  /** Follows redirects from `url` until an answer is not a redirect, or `stopAt` says to stop before requesting a URL. */
  async navigate(url: string | URL, stopAt: (next: URL) => boolean = () => false, maxHops = 20): Promise<Hop[]> {
    const hops: Hop[] = [];
    let next: URL | null = new URL(url);
    while (next && hops.length < maxHops) {
      const response = await this.get(next);
      await response.arrayBuffer();
      const header = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      const location: URL | null = header === null ? null : new URL(header, next);
      hops.push({ url: next, status: response.status, location });
      next = location && !stopAt(location) ? location : null;
    }
    return hops;
  }

  private keep(url: URL, setCookies: string[]): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>();
    this.jar.set(url.host, cookies);
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      const expired = attributes.some(
        (attribute) => /^max-age=0$/i.test(attribute) || (/^expires=/i.test(attribute) && new Date(attribute.slice(8)) < new Date()),
      );
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  }
}
