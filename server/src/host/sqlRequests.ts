import { ErrorCodes, LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Methods, SQL_DIALECTS, SQL_FORMS, SQL_LAYOUTS, type SqlDialectName, type SqlParams, type SqlResult } from '../protocol';
import { definitionValue, type ParsedSegment } from '../segment/parse';
import { compileSegment, DIALECT_NAMES, NAMED_LAYOUTS, sqlText, type DialectName } from '../sql';
import { readTextFile } from '../workspace/textFiles';
import type { WorkspaceRequestServices } from './workspaceRequests';

// The protocol's dialect names are the compiler's (protocol.ts cannot import sql/, so the list is written twice).
const sameDialects: [SqlDialectName, DialectName] extends [DialectName, SqlDialectName] ? true : never = true;
void sameDialects;

const invalidParams = (message: string) => new ResponseError(ErrorCodes.InvalidParams, message);
const quoted = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));
const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

/**
 * `segmentLens/sql` (docs/protocol.md): an open segment document (else the file on disk) compiled
 * to SQL, the text `segment-lens sql` prints for the same file, dialect, layout and form. The
 * document's workspace gives "now" (its klaviyo-workspace.json, as the CLI reads it); nothing
 * is loaded. Bad parameters and invalid definitions are ResponseErrors with a message for the user.
 */
export function sqlOfDocument(services: WorkspaceRequestServices, params: SqlParams): SqlResult {
  if (typeof params?.uri !== 'string') throw invalidParams('segmentLens/sql needs the uri of a segment document.');
  if (!isOneOf(SQL_DIALECTS, params.dialect)) throw invalidParams(`The SQL dialect is ${DIALECT_NAMES.join(', ')}, not ${quoted(params.dialect)}.`);
  const layoutName = params.layout ?? 'workspace';
  if (!isOneOf(SQL_LAYOUTS, layoutName)) throw invalidParams(`The SQL layout is ${SQL_LAYOUTS.join(' or ')}, not ${quoted(layoutName)}.`);
  const form = params.form ?? 'select';
  if (!isOneOf(SQL_FORMS, form)) throw invalidParams(`The SQL form is ${SQL_FORMS.join(' or ')}, not ${quoted(form)}.`);

  const parsed = parsedOf(services, params.uri);
  const errors = services.language.validate(parsed, { allowComments: services.allowComments() }).filter((p) => p.severity === 'error');
  if (errors.length)
    throw new ResponseError(
      LSPErrorCodes.RequestFailed,
      `The segment has errors, so it has no SQL: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    );
  const definition = definitionValue(parsed);
  if (!definition) throw new ResponseError(LSPErrorCodes.RequestFailed, 'The file holds no segment definition, so it has no SQL.');

  const root = services.registry.rootFor(params.uri);
  const now = (root ? services.registry.configuredNow(root) : undefined) ?? Date.now();
  const compiled = compileSegment(definition, { dialect: params.dialect, layout: NAMED_LAYOUTS[layoutName](), now });
  return {
    sql: sqlText(compiled, form),
    form,
    dialect: params.dialect,
    layout: layoutName,
    now: compiled.now,
    approximations: compiled.approximations.map(({ pointer, rule }) => ({ pointer, rule })),
    preconditions: compiled.preconditions.map(({ pointer, reason, sql }) => ({ pointer, reason, sql })),
    notEvaluable: compiled.notEvaluable.map(({ pointer, reason }) => ({ pointer, reason })),
  };
}

/** The open document's current parse, else the file on disk. */
function parsedOf(services: WorkspaceRequestServices, uri: string): ParsedSegment {
  const document = services.documents.get(uri);
  if (document) return services.parsed.get(document);
  let text: string;
  try {
    const parsedUri = URI.parse(uri);
    if (parsedUri.scheme !== 'file') throw new Error(`${uri} is not open`);
    text = readTextFile(parsedUri.fsPath);
  } catch (error) {
    throw new ResponseError(LSPErrorCodes.RequestFailed, `The segment cannot be read: ${(error as Error).message}`);
  }
  return services.language.parse(text);
}

/** Registers `segmentLens/sql` on the connection; failures other than the user's are logged and answered as an internal error, never thrown at the server. */
export function registerSqlRequests(connection: Connection, services: WorkspaceRequestServices): void {
  connection.onRequest(Methods.sql, (params: SqlParams): SqlResult | ResponseError<void> => {
    try {
      return sqlOfDocument(services, params);
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<void>;
      connection.console.error(`sql failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return new ResponseError(ErrorCodes.InternalError, `Segment Lens could not compile the segment to SQL: ${(error as Error)?.message ?? String(error)}`);
    }
  });
}
