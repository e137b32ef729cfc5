import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` writes the console (vite build of web/). */
export const CONSOLE_DIR = join(process.cwd(), 'dist', 'web');

/**
 * The console's documents: only its own scripts, styles and API. No inline
 * script or style element is needed (Vite emits external files; Preact and
 * uPlot set styles through the CSSOM, which style-src does not govern).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Server paths that are never the console's client routes. */
const NOT_CONSOLE = /^\/(api|docs|health|metrics|assets)(\/|$)/;

/**
 * Serves the static console at `/` from the same process: hashed assets under
 * /assets/ are cached for a year (their names change with their content), the
 * HTML shell is revalidated on every load, and any other GET that asks for
 * HTML (a client route such as /portfolios/…) gets the shell (SPA fallback).
 * Does nothing when the console was not built (returns false).
 */
export function serveConsole(app: NestExpressApplication, dir = CONSOLE_DIR): boolean {
  const indexHtml = join(dir, 'index.html');
  if (!existsSync(indexHtml)) return false;
  app.useStaticAssets(join(dir, 'assets'), {
    prefix: '/assets/',
    index: false,
    fallthrough: false, // a missing asset is a 404, never the HTML shell
    setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path) || !req.accepts('html')) return next();
    if (/\.[a-z0-9]+$/i.test(req.path)) return next(); // a file that does not exist: the usual 404
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.sendFile(indexHtml);
  });
  return true;
}
