export {
  compileSegment,
  countsSelect,
  sqlText,
  type CompileOptions,
  type CompiledCondition,
  type CompiledGroup,
  type CompiledSegment,
  type SqlTextForm,
} from './compile';
export type { Approximation, Precondition, SqlCatalog } from './context';
export { DIALECT_NAMES, type DialectName, type SqlDialect } from './dialect';
export { DIALECTS } from './dialects';
export type { TableLayout } from './layout';
export { workspaceLayout, WORKSPACE_NAMES } from './layouts/workspace';
export { setupStatements } from './referenceTables';
export { workspaceCatalog } from './catalog';
export {
  duckdbLoadStatements,
  workspaceInsertStatements,
  workspaceRows,
  workspaceTableStatements,
  type WorkspaceFiles,
  type WorkspaceRecords,
  type WorkspaceRows,
} from './workspaceTables';
export { fivetranLayout, fivetranColumnName, type FivetranOptions } from './layouts/fivetran';
export { layoutFromConfig } from './layouts/mapping';
export { NAMED_LAYOUTS } from './layouts/named';
