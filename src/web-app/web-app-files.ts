import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface WebAppFile {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Compressed once at start, for phones on slow networks (scripts and styles). */
  brotli?: Buffer;
  gzip?: Buffer;
}

const COMPRESSED = new Set(['.js', '.css', '.svg', '.json']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The built browser app (`npm run build` -> dist/web), read once at start: a few small files,
 * served from memory by exact name, so no request path ever reaches the file system.
 */
export class WebAppFiles {
  /** The app's page addresses (`/lookup`, …), from the build's pages.json. */
  readonly pagePaths: ReadonlySet<string>;

  private constructor(private readonly files: Map<string, WebAppFile>) {
    const listed = files.get('/pages.json');
    const paths = listed ? (JSON.parse(listed.body.toString('utf8')) as unknown) : [];
    this.pagePaths = new Set(Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string' && /^\/[a-z0-9-]+$/.test(p)) : []);
  }

  static load(folder: string): WebAppFiles {
    const files = new Map<string, WebAppFile>();
    if (!existsSync(folder)) return new WebAppFiles(files);
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else {
          const contentType = CONTENT_TYPES[extname(name)];
          if (!contentType) continue;
          const body = readFileSync(path);
          const compressed = COMPRESSED.has(extname(name))
            ? { brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), gzip: gzipSync(body, { level: 9 }) }
            : {};
          files.set(`/${relative(folder, path).split('\\').join('/')}`, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, ...compressed });
        }
      }
    };
    walk(folder);
    return new WebAppFiles(files);
  }

  get built(): boolean {
    return this.files.has('/index.html');
  }

  get(path: string): WebAppFile | undefined {
    return this.files.get(path);
  }
}
