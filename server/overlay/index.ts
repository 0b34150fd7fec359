// The stream overlay: an OBS browser-source page per giveaway, a demo, and the creator's setup page.
export { overlayRoutes, defaultRealtimeUrl, type OverlayRoutesOptions } from './overlay.routes.ts';
export { PageBundleCache, buildPageBundle, type PageBundle } from './page-bundle.ts';
