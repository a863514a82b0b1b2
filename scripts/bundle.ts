/**
 * Bundles the `cosell-sync` executable into dist/cli/: the program and the pure-JavaScript
 * libraries every command pays for (zod, yaml, commander) become a few files, split at each lazy
 * `import()` so a command still loads only what it uses. Node 20 has no compile cache, and
 * resolving and compiling some 200 small modules was most of a `config check` (0.3 s of 0.4 s).
 * The other dependencies stay in node_modules: native code, worker transports and optional
 * requires do not survive bundling, and they load only when a command syncs or serves.
 *
 * Run by `npm run build` after tsc (which type-checks and emits dist/ for the tests' helpers).
 */
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');

/** Dependencies compiled into the bundle; every other one is loaded from node_modules. */
const BUNDLED = new Set(['zod', 'yaml', 'commander']);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const external = Object.keys(pkg.dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

/**
 * zod re-exports its messages in 40 languages (`z.locales`, half of its code); the program uses
 * none of them but the English default, which zod imports by itself. Leaving the others out saves
 * compiling 0.5 MB at every start.
 */
const englishOnlyZod: Plugin = {
  name: 'english-only-zod',
  setup(bundler) {
    bundler.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), args.path), namespace: 'zod-locales' } : undefined,
    );
    bundler.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      resolveDir: dirname(args.path),
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { 'cosell-sync': join(root, 'src', 'cli', 'bin.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  // Bundled CommonJS (commander, yaml) calls require() for Node's own modules.
  banner: { js: "import { createRequire as __cosellCreateRequire } from 'node:module';\nconst require = __cosellCreateRequire(import.meta.url);" },
  plugins: [englishOnlyZod],
  logLevel: 'warning',
});
chmodSync(join(outdir, 'cosell-sync.js'), 0o755);
