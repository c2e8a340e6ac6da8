/** A text edit by offsets into the document. */
export interface TextEditByOffset {
  offset: number;
  length: number;
  newText: string;
}

/** A quick fix attached to a problem. */
export interface Fix {
  title: string;
  edits: TextEditByOffset[];
  /** The fix the editor may apply with "auto fix". */
  isPreferred?: boolean;
}

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

/**
 * A problem found in a segment file. Offsets, not positions: the language layer knows only the
 * text; the LSP and CLI layers turn offsets into line/character.
 */
export interface Problem {
  offset: number;
  length: number;
  severity: ProblemSeverity;
  /** Stable identifier of the kind of problem (documented in docs/diagnostics.md). */
  code: string;
  message: string;
  fixes?: Fix[];
  /** Marks code that still works but should go (rendered struck through). */
  deprecated?: boolean;
  /** Marks code that has no effect (rendered faded). */
  unnecessary?: boolean;
}
