// Lists the routes an Express app really serves, by walking its router stacks (mount paths from `app.use`,
// methods and paths from route layers). Used to check /api/docs against what is mounted.
import type { Express } from 'express';

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

export interface ServedRoute {
  method: string;
  path: string;
}

export function servedRoutes(app: Express): ServedRoute[] {
  const root = (app as unknown as { router: { stack: LayerLike[] } }).router;
  const out: ServedRoute[] = [];
  const walk = (stack: readonly LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method, path: prefix + String(layer.route.path) });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk(root.stack, '');
  return out;
}
