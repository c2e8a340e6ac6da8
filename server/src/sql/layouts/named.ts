import type { TableLayout } from '../layout';
import { fivetranLayout } from './fivetran';
import { workspaceLayout } from './workspace';

/** The layouts known by name (the CLI's `--layout NAME`, the editor's `segmentLens.sql.layout`). */
export const NAMED_LAYOUTS: Readonly<Record<'workspace' | 'fivetran', () => TableLayout>> = { workspace: workspaceLayout, fivetran: fivetranLayout };
