import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

/** Why a git operation failed, so the CLI can tell a usage problem from a broken repository. */
export type GitFailure = 'git-missing' | 'not-a-repository' | 'unknown-revision' | 'outside-repository' | 'failed';

export class GitError extends Error {
  constructor(
    readonly failure: GitFailure,
    message: string,
  ) {
    super(message);
  }
}

/** How a file differs between the base revision and the working tree. */
export type ChangeStatus = 'added' | 'removed' | 'modified' | 'renamed';

export interface FileChange {
  status: ChangeStatus;
  /** Path relative to the repository's top folder, with `/` separators (as git prints it). */
  path: string;
  /** The path at the base revision, for renamed files. */
  oldPath?: string;
}

interface GitOutput {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git as a child process with an argument list (never through a shell, so no file name or
 * revision can be read as shell syntax). Resolves with git's exit code; rejects only when git
 * cannot be started at all.
 */
function runGit(cwd: string, args: readonly string[]): Promise<GitOutput> {
  return new Promise((resolvePromise, reject) => {
    execFile('git', [...args], { cwd, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (failure && typeof failure.code === 'string') {
        reject(
          failure.code === 'ENOENT'
            ? new GitError('git-missing', 'git is not installed (or not on PATH); segment-lens diff reads the repository through the git command.')
            : failure,
        );
        return;
      }
      resolvePromise({ code: failure ? Number(failure.code ?? 1) : 0, stdout, stderr: stderr.toString('utf8').trim() });
    });
  });
}

/** NUL-separated fields of git's `-z` output. */
function zFields(output: Buffer): string[] {
  const fields = output.toString('utf8').split('\0');
  if (fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/**
 * The real path (symbolic links resolved, as git prints its top folder) of a path that may not
 * exist any more, such as a file deleted since the base revision: its deepest existing ancestor
 * resolved, the rest appended.
 */
function realPathOfPossiblyMissing(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPathOfPossiblyMissing(parent), basename(path));
  }
}

/** A git repository read through the git command line (never by reading `.git` by hand). */
export class GitRepository {
  private constructor(readonly root: string) {}

  /** The repository that holds `dir`; GitError `not-a-repository` outside one. */
  static async open(dir: string): Promise<GitRepository> {
    const { code, stdout, stderr } = await runGit(dir, ['rev-parse', '--show-toplevel']);
    if (code !== 0) throw new GitError('not-a-repository', `${dir} is not inside a git repository (${stderr || `git exited with ${code}`}).`);
    return new GitRepository(realPathOfPossiblyMissing(stdout.toString('utf8').trim()));
  }

  private async run(args: readonly string[]): Promise<Buffer> {
    const { code, stdout, stderr } = await runGit(this.root, ['--literal-pathspecs', ...args]);
    if (code !== 0) throw new GitError('failed', `git ${args[0]} failed: ${stderr || `exit code ${code}`}`);
    return stdout;
  }

  /** False in a repository where nothing has been committed yet. */
  async hasCommits(): Promise<boolean> {
    return (await this.run(['rev-list', '-n', '1', '--all'])).length > 0;
  }

  /** The commit a revision names; GitError `unknown-revision` when it names none. */
  async resolveCommit(revision: string): Promise<string> {
    // A revision starting with "-" would be read as an option.
    const { code, stdout } = revision.startsWith('-')
      ? { code: 1, stdout: Buffer.alloc(0) }
      : await runGit(this.root, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
    if (code !== 0) throw new GitError('unknown-revision', `${JSON.stringify(revision)} is not a commit of the repository at ${this.root}.`);
    return stdout.toString('utf8').trim();
  }

  /**
   * Paths as git pathspecs relative to the top folder (`.` for the whole repository);
   * GitError `outside-repository` for a path that is not inside it.
   */
  pathspecs(paths: readonly string[], cwd: string): string[] {
    return paths.map((path) => {
      const absolute = realPathOfPossiblyMissing(resolve(cwd, path));
      const rel = relative(this.root, absolute);
      if (rel === '..' || rel.startsWith(`..${sep}`) || resolve(this.root, rel) !== absolute) {
        throw new GitError('outside-repository', `${path} is outside the repository at ${this.root}.`);
      }
      return rel === '' ? '.' : rel.split(sep).join('/');
    });
  }

  /**
   * Files that differ between `base` and the working tree (staged or not), renames detected
   * with `-M`, plus untracked files (not ignored) as added.
   */
  async changesSince(base: string, pathspecs: readonly string[]): Promise<FileChange[]> {
    const fields = zFields(await this.run(['diff', '--name-status', '-M', '-z', base, '--', ...pathspecs]));
    const changes: FileChange[] = [];
    for (let i = 0; i < fields.length;) {
      const code = fields[i++];
      if (code.startsWith('R')) {
        changes.push({ status: 'renamed', oldPath: fields[i], path: fields[i + 1] });
        i += 2;
      } else {
        const path = fields[i++];
        changes.push({ status: code === 'A' ? 'added' : code === 'D' ? 'removed' : 'modified', path });
      }
    }
    for (const path of await this.untrackedFiles(pathspecs)) changes.push({ status: 'added', path });
    return changes;
  }

  /** Untracked files that are not ignored. */
  async untrackedFiles(pathspecs: readonly string[]): Promise<string[]> {
    return zFields(await this.run(['ls-files', '-z', '--others', '--exclude-standard', '--', ...pathspecs]));
  }

  /** Every file of the working tree that is tracked, or untracked but not ignored. */
  async workingFiles(pathspecs: readonly string[]): Promise<string[]> {
    return [...new Set(zFields(await this.run(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...pathspecs])))];
  }

  /** A file's text at a commit (`git show <commit>:<path>`). */
  async fileAt(commit: string, path: string): Promise<string> {
    return (await this.run(['show', `${commit}:${path}`])).toString('utf8');
  }
}
