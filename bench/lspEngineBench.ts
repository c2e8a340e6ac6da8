/**
 * The language server with `segmentLens.engine: "duckdb"` (dist/server.js over stdio, as the editor
 * starts it), on a workspace whose DuckDB database is already in the engine cache: from opening a
 * segment to its code lens count, then from each edit of it to the code lens count of the edited
 * version (`didChange`, then `segmentLens/counts` for that version, then `textDocument/codeLens`),
 * and the server process's resident memory (the evaluation worker is a thread of that process, so
 * its RSS is the worker's plus the server's), sampled while it works and as Linux's peak (`VmHWM`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../test/protocol/lspClient';
import { procMemoryMb } from './procMemory';
import type { BenchSegment } from './segments';
import { fmtMs, median } from './stats';

export interface LspEngineSegment {
  name: string;
  /** Open → the first code lens count (the database opened and the segment evaluated, for the first segment). */
  openMs: number;
  /** Median of edit → the edited version's code lens count. */
  editMs: number;
  edits: number;
  matched: number;
}

export interface LspEngineBenchResult {
  memoryLimit: string;
  segments: LspEngineSegment[];
  /** Median over the segments of their median edit → code lens time. */
  medianEditMs: number;
  /** Largest sampled RSS of the server process (every 50 ms) and Linux's VmHWM at the end, MB. */
  sampledPeakRssMb?: number;
  peakRssMb?: number;
}

interface CountsReport {
  state: string;
  matched?: number;
  message?: string;
}

const lensTitle = (lenses: CodeLens[]) => lenses[0]?.command?.title ?? '';

export async function runLspEngineBench(options: {
  workspaceRoot: string;
  /** The engine cache holding the workspace's converted database. */
  cacheDir: string;
  /** DuckDB's memory limit in the editor (SEGMENT_LENS_DUCKDB_MEMORY_LIMIT). */
  memoryLimit: string;
  suite: readonly BenchSegment[];
  edits: number;
  log: (message: string) => void;
}): Promise<LspEngineBenchResult> {
  const dir = join(options.workspaceRoot, 'segments');
  mkdirSync(dir, { recursive: true });
  const client = new TestClient({
    settings: { debounceMs: 0, engine: 'duckdb' },
    env: { SEGMENT_LENS_CACHE_DIR: options.cacheDir, SEGMENT_LENS_DUCKDB_MEMORY_LIMIT: options.memoryLimit },
  });
  let sampledPeak = 0;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, procMemoryMb(client.pid, 'VmRSS') ?? 0)), 50);
  const written: string[] = [];
  try {
    await client.initialize();
    const segments: LspEngineSegment[] = [];
    for (const segment of options.suite) {
      const path = join(dir, `bench-engine-${segment.name}.segment.json`);
      const text = (definition: unknown) => JSON.stringify(definition, null, 2);
      writeFileSync(path, text(segment.definition));
      written.push(path);
      const uri = client.uriOf(path);
      // The time to a code lens with a count, as the editor shows it.
      const lensCount = async (): Promise<number> => {
        const report = await client.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
        if (report.state !== 'ok') throw new Error(`${segment.name}: the server did not count the segment: ${report.state} ${report.message ?? ''}`);
        const title = lensTitle((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[]);
        if (!title.startsWith('Matches ')) throw new Error(`${segment.name}: the code lens shows no count: "${title}"`);
        return report.matched ?? NaN;
      };
      let started = performance.now();
      await client.open(uri, text(segment.definition));
      const matched = await lensCount();
      const openMs = performance.now() - started;
      const editTimes: number[] = [];
      for (let k = 1; k <= options.edits; k++) {
        started = performance.now();
        await client.change(uri, text(segment.edit(k)));
        await lensCount();
        editTimes.push(performance.now() - started);
      }
      await client.close(uri);
      const result = { name: segment.name, openMs, editMs: median(editTimes), edits: editTimes.length, matched };
      segments.push(result);
      options.log(
        `  lsp (duckdb) ${segment.name}: ${matched} matched; open → lens ${fmtMs(openMs)}, edit → lens median ${fmtMs(result.editMs)} (${editTimes.length} edits)`,
      );
    }
    return {
      memoryLimit: options.memoryLimit,
      segments,
      medianEditMs: median(segments.map((s) => s.editMs)),
      sampledPeakRssMb: sampledPeak || undefined,
      peakRssMb: procMemoryMb(client.pid, 'VmHWM'),
    };
  } finally {
    clearInterval(sampler);
    await client.stop();
    for (const path of written) rmSync(path, { force: true });
  }
}
