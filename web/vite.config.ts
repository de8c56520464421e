import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes `pages.json`, the addresses of the app's pages, so the service serves the app at those
 * addresses and answers 404 elsewhere. Each area (src/pages/<area>/index.ts) names its pages'
 * `path` as string literals.
 */
function pageAddresses(): Plugin {
  return {
    name: 'crisis-link-page-addresses',
    generateBundle() {
      const folder = join(root, 'src', 'pages');
      const paths = readdirSync(folder)
        .map((area) => join(folder, area, 'index.ts'))
        .filter((file) => existsSync(file))
        .flatMap((file) => {
          const found = [...readFileSync(file, 'utf8').matchAll(/\bpath:\s*'(\/[a-z0-9-]+)'/g)].map((match) => match[1]);
          if (found.length === 0) this.error(`${file}: no page path (write each \`path: '/name'\` as a string literal)`);
          return found;
        });
      this.emitFile({ type: 'asset', fileName: 'pages.json', source: `${JSON.stringify([...new Set(paths)].sort())}\n` });
    },
  };
}

// The browser app: Preact (3 KB gzipped instead of React's ~45 KB) and oauth4webapi, built into
// dist/web. No inline script or style is emitted, so the page runs under script-src 'self'.
export default defineConfig({
  root,
  base: '/',
  plugins: [pageAddresses()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // .vite/manifest.json: which files make up each page (bench/web.ts weighs the responder's screen).
    manifest: true,
    reportCompressedSize: true,
  },
});
