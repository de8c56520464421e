import { Controller, Get, Inject, Next, Param, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Public } from '@libs/auth/public.decorator.js';
import { AppConfig } from '@libs/config/app-config.js';
import { redirectToPublicUrl } from './public-url-redirect.js';
import { WEB_APP_SETTINGS, type WebAppSettings } from './web-app-settings.js';
import { WebAppFiles } from './web-app-files.js';

/**
 * The browser features no page of the app uses, switched off for it and anything it could load
 * (a phone's camera, microphone and location above all).
 */
const PERMISSIONS_POLICY = [
  'accelerometer', 'autoplay', 'browsing-topics', 'camera', 'display-capture',
  'encrypted-media', 'fullscreen', 'gamepad', 'geolocation', 'gyroscope', 'hid', 'idle-detection', 'interest-cohort',
  'local-fonts', 'magnetometer', 'microphone', 'midi', 'payment', 'picture-in-picture', 'publickey-credentials-get',
  'screen-wake-lock', 'serial', 'storage-access', 'usb', 'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * Serves the browser app (web/, built into dist/web) and its configuration. The app's pages get
 * a strict Content-Security-Policy (no inline script at all, no framing, connections only to
 * this service and the identity provider) and no Referrer header, so the authorization code in
 * `/auth/callback?code=…` never leaves the page.
 */
@Controller()
export class WebAppController {
  constructor(
    private readonly files: WebAppFiles,
    @Inject(WEB_APP_SETTINGS) private readonly settings: WebAppSettings,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  home(@Req() req: Request, @Res() res: Response): void {
    // Outside production, the app opened at another address of this machine goes to PUBLIC_URL.
    if (!this.config.isProduction && redirectToPublicUrl(req, res, this.settings.clientConfig.publicUrl)) return;
    this.page(req, res);
  }

  @Public()
  @Get('auth/callback')
  callback(@Req() req: Request, @Res() res: Response): void {
    this.page(req, res);
  }

  /**
   * The app's pages (`/lookup`, and each role's pages as they are added in web/src/pages), as
   * the build lists them in pages.json; every other path falls through to the service's routes
   * (and its 404).
   */
  @Public()
  @Get(':page')
  appPage(@Param('page') page: string, @Req() req: Request, @Res() res: Response, @Next() next: NextFunction): void {
    if (!this.files.pagePaths.has(`/${page}`)) return next();
    this.page(req, res);
  }

  @Public()
  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    const found = /^[\w.-]+$/.test(file) ? this.files.get(`/assets/${file}`) : undefined;
    if (!found) return void res.status(404).type('text/plain').send('Not found');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Vite puts a content hash in every asset name: a name never changes its content.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', found.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === found.etag) return void res.status(304).end();
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const [encoding, body] = found.brotli && /\bbr\b/.test(accepted) ? ['br', found.brotli] : found.gzip && /\bgzip\b/.test(accepted) ? ['gzip', found.gzip] : [undefined, found.body];
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.status(200).type(found.contentType).send(body);
  }

  /** Configuration the app reads at start (not inline script: the CSP forbids any). */
  @Public()
  @Get('app-config.json')
  appConfig(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(200).json(this.settings.clientConfig);
  }

  private page(_req: Request, res: Response): void {
    const index = this.files.get('/index.html');
    res.setHeader('Content-Security-Policy', this.settings.contentSecurityPolicy);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    res.setHeader('Cache-Control', 'no-store');
    if (!index) {
      res.status(503).type('text/plain').send('The web app is not built: run `npm run build`, then start the service again.\n');
      return;
    }
    res.status(200).type(index.contentType).send(index.body);
  }
}
