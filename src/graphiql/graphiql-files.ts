import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectRoot } from '@libs/config/project-root.js';

/** Where GraphiQL's page loads its files from: this service, never a CDN. */
export const GRAPHIQL_ASSETS_PATH = '/graphiql';

export interface GraphiqlFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * The files GraphiQL's page loads, as the npm packages publish them: React 18 and ReactDOM 18
 * (their UMD production builds) and GraphiQL 4's UMD bundle and stylesheet, which embeds its fonts
 * as data: URLs and @imports nothing. GraphiQL 4 is the last line published with a UMD bundle: the
 * page needs no build step of ours (docs/architecture.md says why).
 */
const PACKAGE_FILES: Array<{ name: string; pkg: string; file: string; contentType: string }> = [
  { name: 'react.production.min.js', pkg: 'react', file: 'umd/react.production.min.js', contentType: JS },
  { name: 'react-dom.production.min.js', pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS },
  { name: 'graphiql.min.js', pkg: 'graphiql', file: 'graphiql.min.js', contentType: JS },
  { name: 'graphiql.min.css', pkg: 'graphiql', file: 'graphiql.min.css', contentType: CSS },
];

/**
 * What GraphiQL's editor shows first: what it keeps (nothing), how to get a token, a first query.
 * `tokenSteps` says how to get a token here (the development provider's command, or the identity
 * provider's).
 */
export function graphiqlDefaultQuery(tokenSteps: string[]): string {
  return [
    '# GraphiQL for crisis-link (development only).',
    '# It keeps nothing: a reload forgets the editors,',
    '# the headers and the history.',
    '#',
    ...tokenSteps.map((line) => `# ${line}`.trimEnd()),
    '# Enter the token under Headers below as',
    '#   {"Authorization": "Bearer <the token>"}',
    '# then press the circular arrows (bottom left) to load',
    '# the documentation and completion, and the run button',
    '# (Ctrl-Enter) to send this query.',
    '',
    '{',
    '  me {',
    '    name',
    '    roles',
    '    organization { name }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Our own start script, loaded from 'self' (the page has no inline script). GraphiQL gets a
 * storage that lives in memory only, and is told not to persist headers: no header (a bearer
 * token), query, variable, tab or history entry ever reaches localStorage, and a reload forgets
 * them all. (`shouldPersistHeaders: false` alone is not enough: GraphiQL 4's history still
 * writes each run query's headers to its storage.)
 */
export function graphiqlStartScript(defaultQuery: string): string {
  // JSON is a JavaScript string literal; in a script file of its own nothing else needs escaping.
  return `'use strict';
(function () {
  var items = new Map();
  var memoryStorage = {
    getItem: function (key) { return items.has(key) ? items.get(key) : null; },
    setItem: function (key, value) { items.set(key, String(value)); },
    removeItem: function (key) { items.delete(key); },
    clear: function () { items.clear(); },
    get length() { return items.size; },
  };
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      storage: memoryStorage,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      defaultQuery: ${JSON.stringify(defaultQuery)},
    }),
  );
})();
`;
}

/** The page's own layout (no inline style). */
export const GRAPHIQL_PAGE_STYLE = `html, body { height: 100%; margin: 0; width: 100%; overflow: hidden; }
#graphiql { height: 100vh; }
`;

/** The page: every script and stylesheet from this service, in order; no inline script or style. */
export const GRAPHIQL_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>GraphiQL · crisis-link (development)</title>
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.min.css" />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql-page.css" />
    <script defer src="${GRAPHIQL_ASSETS_PATH}/react.production.min.js"></script>
    <script defer src="${GRAPHIQL_ASSETS_PATH}/react-dom.production.min.js"></script>
    <script defer src="${GRAPHIQL_ASSETS_PATH}/graphiql.min.js"></script>
    <script defer src="${GRAPHIQL_ASSETS_PATH}/graphiql-start.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <noscript>GraphiQL needs JavaScript.</noscript>
  </body>
</html>
`;

/**
 * GraphiQL's Content-Security-Policy: scripts and stylesheets from this service only, with no
 * `'unsafe-inline'` for scripts; queries to this service only. `'unsafe-inline'` for styles stays:
 * GraphiQL's editor and dialogs set style attributes and insert <style> elements as they run.
 * Fonts and a few images are data: URLs inside GraphiQL's stylesheet.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function file(body: Buffer | string, contentType: string): GraphiqlFile {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return { body: bytes, contentType, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
}

/**
 * GraphiQL's files, read once at start from the installed packages (development dependencies:
 * GraphiQL exists only outside production) and served from memory by exact name, so no request
 * path reaches the file system. `missing` names the packages not installed.
 */
export class GraphiqlFiles {
  private constructor(
    private readonly files: Map<string, GraphiqlFile>,
    readonly missing: string[],
  ) {}

  static load(options: { tokenSteps: string[]; root?: string }): GraphiqlFiles {
    const root = options.root ?? projectRoot();
    const require = createRequire(join(root, 'package.json'));
    const files = new Map<string, GraphiqlFile>();
    const missing = new Set<string>();
    for (const { name, pkg, file: path, contentType } of PACKAGE_FILES) {
      let folder: string;
      try {
        folder = dirname(require.resolve(`${pkg}/package.json`));
      } catch {
        missing.add(pkg);
        continue;
      }
      const full = join(folder, path);
      if (!existsSync(full)) {
        missing.add(pkg);
        continue;
      }
      files.set(name, file(readFileSync(full), contentType));
    }
    files.set('graphiql-start.js', file(graphiqlStartScript(graphiqlDefaultQuery(options.tokenSteps)), JS));
    files.set('graphiql-page.css', file(GRAPHIQL_PAGE_STYLE, CSS));
    return new GraphiqlFiles(files, [...missing]);
  }

  get(name: string): GraphiqlFile | undefined {
    return this.files.get(name);
  }
}
