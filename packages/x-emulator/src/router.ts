import type { Route } from './context.js';

/** Matches `/2/users/:id/mentions`-style patterns; first match wins, so order literal routes first. */
export class Router {
  private readonly compiled: { route: Route; segments: string[] }[];

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.pattern.split('/').filter(Boolean) }));
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const { route, segments } of this.compiled) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] as string;
        const part = parts[i] as string;
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = decodeURIComponent(part);
        } else if (segment !== part) {
          matched = false;
          break;
        }
      }
      if (matched) return { route, params };
    }
    return undefined;
  }
}
