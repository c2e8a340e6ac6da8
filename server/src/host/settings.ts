import type { EngineSetting } from '../evaluation/messages';
import { SegmentFileRules } from '../workspace/segmentFiles';

/** The `segmentLens.*` settings the server reads (contributed in package.json). */
export interface SegmentLensSettings {
  /** Which files hold segment definitions (`segmentLens.files`). */
  files: SegmentFileRules;
  /** Accept comments and trailing commas in segment files (the API does not). */
  allowComments: boolean;
  /** A folder holding klaviyo-workspace.json to use instead of the nearest one. */
  workspace: string;
  codeLens: { enabled: boolean };
  inlayHints: { enabled: boolean };
  /** Milliseconds to wait after the last edit before validating and counting. */
  debounceMs: number;
  /** When to suggest a marketing-consent condition. */
  consentHint: 'marketing-names' | 'always' | 'off';
  /** Who evaluates: in memory, DuckDB, or `auto` (DuckDB from a size of data files; docs/sql.md). */
  engine: EngineSetting;
}

export const DEFAULT_SETTINGS: SegmentLensSettings = {
  files: SegmentFileRules.default,
  allowComments: false,
  workspace: '',
  codeLens: { enabled: true },
  inlayHints: { enabled: true },
  debounceMs: 200,
  consentHint: 'marketing-names',
  engine: 'auto',
};

/** Merges what the client sent over the defaults, ignoring values of the wrong type. */
export function readSettings(raw: unknown): SegmentLensSettings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const section = (key: string) => (typeof value[key] === 'object' && value[key] !== null ? (value[key] as Record<string, unknown>) : {});
  return {
    files: SegmentFileRules.from(value.files),
    allowComments: typeof value.allowComments === 'boolean' ? value.allowComments : DEFAULT_SETTINGS.allowComments,
    workspace: typeof value.workspace === 'string' ? value.workspace : DEFAULT_SETTINGS.workspace,
    codeLens: { enabled: typeof section('codeLens').enabled === 'boolean' ? (section('codeLens').enabled as boolean) : true },
    inlayHints: { enabled: typeof section('inlayHints').enabled === 'boolean' ? (section('inlayHints').enabled as boolean) : true },
    debounceMs: typeof value.debounceMs === 'number' && value.debounceMs >= 0 ? value.debounceMs : DEFAULT_SETTINGS.debounceMs,
    consentHint: value.consentHint === 'always' || value.consentHint === 'off' ? value.consentHint : 'marketing-names',
    engine: value.engine === 'memory' || value.engine === 'duckdb' ? value.engine : 'auto',
  };
}
