import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL server for the SQL tests, from Debian's `postgresql` package: initialised in
 * a temporary folder, listening on a free local port, stopped and removed at the end. The
 * binaries are found on PATH or under /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to
 * run as root, so as root the server runs as the `postgres` user (or `nobody`).
 */
export class PostgresServer {
  private constructor(
    private readonly process: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly exited: Promise<void>,
  ) {}

  static async start(): Promise<PostgresServer> {
    const bin = postgresBinDir();
    const dir = mkdtempSync(join(tmpdir(), 'segment-lens-pg-'));
    const owner = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const data = join(dir, 'data');
    const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'segment_lens', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
      ...owner,
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
    const port = await freePort();
    const server = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    // Ready when the server says so on its log (stderr), not after a guessed delay.
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('database system is ready to accept connections')) {
          server.stderr?.off('data', onData);
          // Keep draining the log so the server never blocks on a full pipe.
          server.stderr?.resume();
          resolve();
        }
      };
      server.stderr?.on('data', onData);
      server.once('exit', (code) => reject(new Error(`postgres exited with ${code} before it was ready:\n${log}`)));
    });
    return new PostgresServer(server, dir, port, exited);
  }

  async connect(): Promise<pg.Client> {
    const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: 'segment_lens', database: 'postgres' });
    await client.connect();
    return client;
  }

  /** Fast shutdown (SIGINT), then the folder is removed. */
  async stop(): Promise<void> {
    this.process.kill('SIGINT');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function postgresBinDir(): string {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error('PostgreSQL is not installed (initdb and postgres are neither on PATH nor in /usr/lib/postgresql/*/bin): apt-get install -y postgresql');
  return join(root, versions[0], 'bin');
}

function unprivilegedUser(): { uid: number; gid: number } {
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  const entry = passwd.find((f) => f[0] === 'postgres') ?? passwd.find((f) => f[0] === 'nobody');
  if (!entry) throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
