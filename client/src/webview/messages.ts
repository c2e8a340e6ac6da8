import type { CountsReport, ExplainResult, ProfilesResult } from '../../../server/src/protocol';

/** Messages from the extension to the preview webview. */
export type ToWebview =
  | { type: 'counts'; report: CountsReport | null; fileName: string }
  | { type: 'rows'; requestId: number; result: ProfilesResult | null }
  | { type: 'explain'; profileId: string; result: ExplainResult | null }
  | { type: 'notice'; text: string };

/** Messages from the preview webview to the extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'rows'; requestId: number; offset: number; limit: number; sort?: { column: 'email' | 'name' | 'location' | 'lastEvent' | 'id'; descending?: boolean }; filter?: string }
  | { type: 'explain'; profileId: string }
  | { type: 'export'; format: 'csv' }
  | { type: 'copy'; format: 'ids' | 'emails' }
  | { type: 'refresh' };
