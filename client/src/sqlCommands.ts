import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Methods, SQL_DIALECTS, SQL_LAYOUTS, type SqlDialectName, type SqlLayoutName, type SqlParams, type SqlResult } from '../../server/src/protocol';

const DIALECT_LABELS: Record<SqlDialectName, string> = { duckdb: 'DuckDB', postgres: 'PostgreSQL', bigquery: 'BigQuery', snowflake: 'Snowflake' };
/** globalState key of the dialect chosen last. */
const LAST_DIALECT = 'segmentLens.sql.lastDialect';

const isDialect = (value: unknown): value is SqlDialectName => typeof value === 'string' && (SQL_DIALECTS as readonly string[]).includes(value);

function configuredLayout(): SqlLayoutName {
  const layout = vscode.workspace.getConfiguration('segmentLens').get<string>('sql.layout', 'workspace');
  return (SQL_LAYOUTS as readonly string[]).includes(layout) ? (layout as SqlLayoutName) : 'workspace';
}

/** A quick pick of the dialects, the last one chosen (else `segmentLens.sql.dialect`) first; remembered in globalState. */
async function pickDialect(context: vscode.ExtensionContext): Promise<SqlDialectName | undefined> {
  const remembered = context.globalState.get<string>(LAST_DIALECT);
  const setting = vscode.workspace.getConfiguration('segmentLens').get<string>('sql.dialect', 'duckdb');
  const preferred = isDialect(remembered) ? remembered : isDialect(setting) ? setting : 'duckdb';
  const items = [preferred, ...SQL_DIALECTS.filter((d) => d !== preferred)].map((dialect) => ({
    label: DIALECT_LABELS[dialect],
    description: dialect === preferred ? 'last used' : undefined,
    dialect,
  }));
  if (!isDialect(remembered)) items[0].description = 'default';
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Segment as SQL: dialect',
    placeHolder: `Table layout: ${configuredLayout()} (segmentLens.sql.layout)`,
  });
  if (!choice) return undefined;
  await context.globalState.update(LAST_DIALECT, choice.dialect);
  return choice.dialect;
}

/** The SQL of a segment document from the server, or undefined after telling the user why not. */
export async function segmentSql(context: vscode.ExtensionContext, client: LanguageClient | undefined, arg: unknown): Promise<SqlResult | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : vscode.window.activeTextEditor?.document.uri;
  if (!uri || !client) {
    void vscode.window.showInformationMessage('Open a segment file to get its SQL.');
    return undefined;
  }
  // The server answers from the open document (a command run on an unopened file opens it).
  await vscode.workspace.openTextDocument(uri);
  const dialect = await pickDialect(context);
  if (!dialect) return undefined;
  const params: SqlParams = { uri: uri.toString(), dialect, layout: configuredLayout() };
  try {
    return await client.sendRequest<SqlResult>(Methods.sql, params);
  } catch (error) {
    void vscode.window.showErrorMessage(`Segment Lens: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** "with 2 approximation notes" and the like, for the messages. */
function notes(result: SqlResult): string {
  const parts: string[] = [];
  const count = (n: number, what: string) => (n ? `${n} ${what}${n === 1 ? '' : 's'}` : undefined);
  for (const part of [
    count(result.approximations.length, 'approximation note'),
    count(result.preconditions.length, 'precondition'),
    count(result.notEvaluable.length, 'part not evaluable'),
  ])
    if (part) parts.push(part);
  return parts.length ? ` (${parts.join(', ')}: see the comments at the top)` : '';
}

/** Copies a segment's SQL to the clipboard (also the preview's "Copy as SQL" button). */
export async function copySegmentAsSql(context: vscode.ExtensionContext, client: LanguageClient | undefined, arg?: unknown): Promise<void> {
  const result = await segmentSql(context, client, arg);
  if (!result) return;
  await vscode.env.clipboard.writeText(result.sql);
  const what = result.notEvaluable.length ? 'comments (no query: a condition is not evaluable)' : `${DIALECT_LABELS[result.dialect]} SQL`;
  void vscode.window.showInformationMessage(`Segment Lens: copied the segment's ${what} over the ${result.layout} layout${notes(result)}.`);
}

/** Shows a segment's SQL in a new untitled SQL document. */
export async function openSegmentAsSql(context: vscode.ExtensionContext, client: LanguageClient | undefined, arg?: unknown): Promise<void> {
  const result = await segmentSql(context, client, arg);
  if (!result) return;
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: `${result.sql}\n` });
  await vscode.window.showTextDocument(document, { preview: false });
  if (result.notEvaluable.length) void vscode.window.showWarningMessage(`Segment Lens: no query${notes(result)}.`);
}

/** "Copy Segment as SQL" and "Open Segment as SQL" (docs/sql.md). */
export function registerSqlCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('segmentLens.copyAsSql', (arg?: unknown) => copySegmentAsSql(context, client(), arg)),
    vscode.commands.registerCommand('segmentLens.openAsSql', (arg?: unknown) => openSegmentAsSql(context, client(), arg)),
  );
}
