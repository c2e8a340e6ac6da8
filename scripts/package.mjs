// Packages the extension as a .vsix for one VS Code platform target, carrying the DuckDB native
// binding for that platform (segmentLens.engine "duckdb" / "auto"), as `vsce package --target`.
//
//   node scripts/package.mjs                      # this machine's target -> dist/segment-lens.vsix
//   node scripts/package.mjs --target darwin-arm64 # -> dist/segment-lens-darwin-arm64.vsix
//   node scripts/package.mjs --all                # every target below, one .vsix each
//   node scripts/package.mjs --target alpine-x64 --dry-run   # print the plan, build nothing
//
// The bundles (dist/*.js) are the same for every target; what differs is dist/node_modules:
// @duckdb/node-api, @duckdb/node-bindings, detect-libc and the one platform package of the
// binding. For this machine's platform it is copied from node_modules; for another it is fetched
// from the npm registry with `npm pack` at the version package-lock.json pins, and its checksum
// is compared with the lockfile's before it is used. An extension installed on a platform without
// a target of its own (linux-armhf, web) gets no .vsix from here: the universal one built with
// --no-duckdb evaluates in memory only.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** VS Code's platform targets and the DuckDB binding package each one needs. */
export const TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

const ROOT = join(import.meta.dirname, '..');
const STAGE = join(ROOT, 'dist', 'node_modules');

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { targets: [], dryRun: false, duckdb: true, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--target') options.targets.push(argv[++i] ?? fail('--target needs a value'));
    else if (arg === '--all') options.targets.push(...Object.keys(TARGETS));
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--no-duckdb') options.duckdb = false;
    else if (arg === '--out') options.out = argv[++i] ?? fail('--out needs a value');
    else fail(`unknown argument ${arg} (usage: node scripts/package.mjs [--target T | --all] [--no-duckdb] [--out file.vsix] [--dry-run])`);
  }
  for (const target of options.targets)
    if (!(target in TARGETS))
      fail(`no DuckDB binding for target ${target}; targets: ${Object.keys(TARGETS).join(', ')} (or --no-duckdb for a universal .vsix)`);
  if (options.out !== undefined && options.targets.length > 1) fail('--out names one .vsix: give one --target');
  return options;
}

/** This machine's VS Code target (alpine-* where Linux runs musl, as the binding itself decides). */
async function hostTarget() {
  let platform = process.platform;
  if (platform === 'linux') {
    const { familySync, MUSL } = (await import('detect-libc')).default;
    if (familySync() === MUSL) platform = 'alpine';
  }
  const target = `${platform}-${process.arch}`;
  if (!(target in TARGETS)) fail(`this machine (${target}) has no DuckDB binding; use --no-duckdb for a universal .vsix`);
  return target;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The binding's platform package as the lockfile pins it: version and sha512 integrity. */
function pinned(bindingPackage) {
  const lock = readJson(join(ROOT, 'package-lock.json'));
  const entry = lock.packages[`node_modules/@duckdb/${bindingPackage}`];
  if (!entry?.version || !entry.integrity) fail(`package-lock.json does not pin @duckdb/${bindingPackage}`);
  return entry;
}

/** Copies or fetches @duckdb/<bindingPackage> into `destination`, at the lockfile's version. */
function stageBinding(bindingPackage, destination) {
  const { version, integrity } = pinned(bindingPackage);
  const local = join(ROOT, 'node_modules', '@duckdb', bindingPackage);
  if (existsSync(join(local, 'package.json')) && readJson(join(local, 'package.json')).version === version) {
    cpSync(local, destination, { recursive: true });
    return `copied from node_modules (${version})`;
  }
  const temp = mkdtempSync(join(tmpdir(), 'segment-lens-package-'));
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', `@duckdb/${bindingPackage}@${version}`, '--json', '--pack-destination', temp], {
        encoding: 'utf8',
        shell: process.platform === 'win32',
      }),
    );
    const tarball = join(temp, packed.filename);
    const [algorithm, expected] = integrity.split(/-(.*)/s);
    const actual = createHash(algorithm).update(readFileSync(tarball)).digest('base64');
    if (actual !== expected) fail(`@duckdb/${bindingPackage}@${version} from the registry does not match package-lock.json's ${algorithm}`);
    execFileSync('tar', ['-xzf', tarball, '-C', temp]);
    cpSync(join(temp, 'package'), destination, { recursive: true });
    return `fetched from the registry (${version}, ${algorithm} checked against package-lock.json)`;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** dist/node_modules for `target`: the DuckDB API, its loader, detect-libc and the target's binding. */
function stage(target) {
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(join(STAGE, '@duckdb'), { recursive: true });
  for (const name of ['@duckdb/node-api', '@duckdb/node-bindings', 'detect-libc'])
    cpSync(join(ROOT, 'node_modules', name), join(STAGE, name), { recursive: true, filter: (source) => !source.endsWith('.d.ts') });
  const bindingPackage = `node-bindings-${TARGETS[target]}`;
  const how = stageBinding(bindingPackage, join(STAGE, '@duckdb', bindingPackage));
  console.log(`package: ${target}: @duckdb/${bindingPackage} ${how}`);
}

function vsce(args) {
  execFileSync(join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce'), ['package', '--no-dependencies', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
}

const options = parseArgs(process.argv.slice(2));
const hostOnly = options.targets.length === 0;
const targets = !options.duckdb ? [] : hostOnly ? [await hostTarget()] : options.targets;
const outFor = (target) => options.out ?? (hostOnly || target === undefined ? join('dist', 'segment-lens.vsix') : join('dist', `segment-lens-${target}.vsix`));

if (options.dryRun) {
  if (targets.length === 0) console.log(`package: universal (no DuckDB binding) -> ${outFor(undefined)}`);
  for (const target of targets)
    console.log(`package: ${target} with @duckdb/node-bindings-${TARGETS[target]}@${pinned(`node-bindings-${TARGETS[target]}`).version} -> ${outFor(target)}`);
  process.exit(0);
}

execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production'], { cwd: ROOT, stdio: 'inherit' });
try {
  if (targets.length === 0) {
    rmSync(STAGE, { recursive: true, force: true });
    vsce(['--out', outFor(undefined)]);
  }
  for (const target of targets) {
    stage(target);
    vsce(['--target', target, '--out', outFor(target)]);
  }
} finally {
  // dist/node_modules is only for packaging: the repo's own runs resolve the binding from node_modules.
  rmSync(STAGE, { recursive: true, force: true });
}
