import type { CountsReport, ExplainResult, HeadDiffResult, HistoryResult, OverlapReport, ProfilesResult } from '../../../server/src/protocol';

type SortSpec = { column: 'email' | 'name' | 'location' | 'lastEvent' | 'id'; descending?: boolean };

/** A page of profiles asked for by a list (`requestId` pairs the reply with the request). */
export interface RowsRequest {
  type: 'rows';
  requestId: number;
  offset: number;
  limit: number;
  sort?: SortSpec;
  filter?: string;
}

/** The reply to a RowsRequest. */
export type RowsReply = { type: 'rows'; requestId: number; result: ProfilesResult | null };

/** Messages from the extension to the preview webview. */
export type ToWebview =
  | { type: 'counts'; report: CountsReport | null; fileName: string }
  | RowsReply
  | { type: 'explain'; profileId: string; result: ExplainResult | null }
  /** The size-over-time series of a document version (the page drops one for another version). */
  | { type: 'history'; result: HistoryResult | null }
  | { type: 'history-progress'; version: number; done: number; total: number }
  | { type: 'notice'; text: string };

/** Messages from the preview webview to the extension. */
export type FromWebview =
  | { type: 'ready' }
  /** `asOf`: the instant of a day of the size-over-time chart (undefined: now). */
  | (RowsRequest & { asOf?: string })
  | { type: 'explain'; profileId: string; asOf?: string }
  | { type: 'export'; format: 'csv' }
  | { type: 'copy'; format: 'ids' | 'emails' }
  /** "Copy as SQL": the extension runs segmentLens.copyAsSql on the document (dialect quick pick, clipboard). */
  | { type: 'copy-sql' }
  | { type: 'refresh' };

/** Messages from the extension to the overlap panel ("Compare Segments in Folder…"). */
export type OverlapToWebview = { type: 'loading'; folder: string } | { type: 'report'; report: OverlapReport | null } | RowsReply;

/** Messages from the overlap panel: `inside`/`outside` are segment URIs (the profiles in all of these and none of those). */
export type OverlapFromWebview =
  { type: 'ready' } | { type: 'refresh' } | { type: 'open'; uri: string } | (RowsRequest & { inside: string[]; outside: string[] });

/** Messages from the extension to the "changes since HEAD" panel. */
export type HeadDiffToWebview = { type: 'diff'; result: HeadDiffResult | null; fileName: string } | RowsReply;

export type HeadDiffFromWebview = { type: 'ready' } | { type: 'refresh' } | (RowsRequest & { side: 'added' | 'removed' });
