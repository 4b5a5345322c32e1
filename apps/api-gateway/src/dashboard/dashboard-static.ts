import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { INestApplication } from '@nestjs/common';
import { static as serveStatic } from 'express';
import type { Express, NextFunction, Request, Response } from 'express';

export const DASHBOARD_PATH = '/dashboard';

/** uPlot's files the page loads (the IIFE build defines the global `uPlot`). */
export const UPLOT_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'] as const;

/**
 * Only the page's own files: no inline script or style, no other origin. uPlot sizes its elements through
 * the CSSOM (element.style), which style-src does not restrict. The API is same-origin (connect-src 'self').
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface DashboardAssets {
  /** index.html, dashboard.js, ... */
  pageDir: string;
  /** The directory holding UPLOT_FILES. */
  vendorDir: string;
}

/** Walks up from `from` to the first node_modules/uplot/dist (the workspace's, under ts-node and ts-jest). */
function findUplotDist(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'uplot', 'dist');
    if (existsSync(join(candidate, UPLOT_FILES[0]))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Where the dashboard's files are.
 * - From source (ts-node for `nx serve`, ts-jest in tests; this file is `.ts`): the page next to this file in
 *   `public/`, uPlot straight from the workspace's node_modules.
 * - Built (`nx build api-gateway`, the Docker image): webpack copies both into `dashboard/` and
 *   `dashboard/vendor/` next to main.js (see apps/api-gateway/webpack.config.js), so the image needs no
 *   uplot package at run time and serves exactly the files it was built with.
 * Missing files stop the app at start-up naming what is missing, rather than serving a broken page.
 */
export function locateDashboardAssets(): DashboardAssets {
  if (__filename.endsWith('.ts')) {
    const vendorDir = findUplotDist(__dirname);
    if (!vendorDir) throw new Error(`the dashboard needs uPlot: node_modules/uplot/dist/${UPLOT_FILES[0]} was not found above ${__dirname}`);
    return { pageDir: join(__dirname, 'public'), vendorDir };
  }
  const roots = [__dirname, ...(process.argv[1] ? [dirname(process.argv[1])] : [])].map((d) => join(d, 'dashboard'));
  const pageDir = roots.find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'vendor', UPLOT_FILES[0])));
  if (!pageDir) throw new Error(`dashboard files not found (looked for index.html and vendor/${UPLOT_FILES[0]} in ${roots.join(', ')}); build with nx build api-gateway`);
  return { pageDir, vendorDir: join(pageDir, 'vendor') };
}

/**
 * Serves the ops dashboard at /dashboard/: static files, public (the page asks for the API key and sends it
 * on its own API calls), with a strict CSP of their own instead of helmet's API default. Files are revalidated
 * on every load (no-cache + ETag) so a new build shows at once.
 */
export function serveDashboard(app: INestApplication, assets: DashboardAssets = locateDashboardAssets()): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  const headers = (res: Response): void => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('Cache-Control', 'no-cache');
  };
  const options = { index: 'index.html', redirect: false, fallthrough: true, setHeaders: headers };
  const vendor = serveStatic(assets.vendorDir, { ...options, index: false });
  const page = serveStatic(assets.pageDir, options);
  express.use(DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // /dashboard -> /dashboard/ so the page's relative URLs resolve under it.
    if (req.originalUrl === DASHBOARD_PATH || req.originalUrl.startsWith(`${DASHBOARD_PATH}?`)) {
      return res.redirect(301, `${DASHBOARD_PATH}/`);
    }
    const vendorFile = /^\/vendor\/([^/]+)$/.exec(req.path)?.[1];
    if (vendorFile !== undefined) {
      if (!(UPLOT_FILES as readonly string[]).includes(vendorFile)) return next();
      req.url = `/${vendorFile}`;
      return vendor(req, res, next);
    }
    return page(req, res, next);
  });
}
