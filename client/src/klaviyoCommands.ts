/**
 * The Klaviyo commands of the extension: store the API key, pull a workspace, pull segments,
 * push a segment. They run in the extension host (the pull and push code is bundled from
 * server/src/klaviyo). The key lives only in VS Code's SecretStorage; it is never written to
 * settings, files, an output channel or a webview, and every message shown is redacted.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { KlaviyoClient } from '../../server/src/klaviyo/client';
import { DEFAULT_BASE_URL } from '../../server/src/klaviyo/endpoints';
import { KlaviyoError } from '../../server/src/klaviyo/errors';
import { describeInterruptedPull, pullWorkspace, readPullRecord, sinceInstant, type PullOptions, type PullResult } from '../../server/src/klaviyo/pull';
import { executePush, fetchSegment, planPush, previewPush, pullSegments, textAfterPush } from '../../server/src/klaviyo/segments';
import { ApiKey, redactError } from '../../server/src/klaviyo/secret';
import { SegmentLanguage } from '../../server/src/segment/languageService';

export const KLAVIYO_COMMANDS = {
  setApiKey: 'segmentLens.klaviyo.setApiKey',
  clearApiKey: 'segmentLens.klaviyo.clearApiKey',
  pullWorkspace: 'segmentLens.klaviyo.pullWorkspace',
  pullSegments: 'segmentLens.klaviyo.pullSegments',
  pushSegment: 'segmentLens.klaviyo.pushSegment',
} as const;

/** The SecretStorage entry holding the private key. */
const SECRET_NAME = 'segmentLens.klaviyo.apiKey';
const DIFF_SCHEME = 'segment-lens-klaviyo';

export interface KlaviyoCommandOptions {
  /** After a pull wrote a workspace: e.g. reload the language server's data. Default: run segmentLens.reloadWorkspace. */
  onWorkspacePulled?: (folder: vscode.Uri) => unknown;
}

/**
 * The base URL from user (or remote) settings only: a workspace's .vscode/settings.json must not
 * be able to send the key to another host, so workspace values are ignored (the setting is also
 * declared with "scope": "machine").
 */
function baseUrl(): string {
  const inspected = vscode.workspace.getConfiguration('segmentLens.klaviyo').inspect<string>('baseUrl');
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_BASE_URL;
  return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_BASE_URL;
}

/** Shows a failure: redacted, with an action to fix the key when it is the key's fault. */
async function showFailure(prefix: string, error: unknown): Promise<void> {
  const message = `${prefix}: ${redactError(error)}`;
  if (error instanceof KlaviyoError && (error.kind === 'unauthorized' || error.kind === 'forbidden')) {
    const choice = await vscode.window.showErrorMessage(message, 'Set Klaviyo API Key');
    if (choice) await vscode.commands.executeCommand(KLAVIYO_COMMANDS.setApiKey);
    return;
  }
  if (error instanceof KlaviyoError && error.kind === 'cancelled') {
    void vscode.window.showInformationMessage(redactError(error));
    return;
  }
  void vscode.window.showErrorMessage(message);
}

/** Read-only documents for the push diff (the account's definition and the file's). */
class DiffContent implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  uri(label: string, text: string): vscode.Uri {
    const path = `/${++this.counter}/${label}`;
    this.contents.set(path, text);
    if (this.contents.size > 20) this.contents.delete(this.contents.keys().next().value as string);
    return vscode.Uri.from({ scheme: DIFF_SCHEME, path });
  }
}

/** The Klaviyo commands of the extension: API key, pull, pull segments, push. */
class KlaviyoCommands {
  readonly diffs = new DiffContent();
  private readonly language = new SegmentLanguage();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly options: KlaviyoCommandOptions,
  ) {}

  async setApiKey(): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: 'Segment Lens: Klaviyo private API key',
      prompt:
        "Stored in VS Code's secret storage (your system keychain), never in settings or files. Scopes: metrics, lists, profiles, events and segments (read); segments (write) to push.",
      placeHolder: 'pk_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => {
        const trimmed = text.trim();
        if (!trimmed) return 'Enter the key.';
        if (/\s/.test(trimmed)) return 'The key has no spaces.';
        if (!trimmed.startsWith('pk_'))
          return {
            message: 'Private API keys start with "pk_"; a public key (site ID) cannot read or write segments.',
            severity: vscode.InputBoxValidationSeverity.Warning,
          };
        return undefined;
      },
    });
    if (value === undefined || !value.trim()) return false;
    await this.context.secrets.store(SECRET_NAME, value.trim());
    void vscode.window.showInformationMessage("Segment Lens: the Klaviyo API key is stored in VS Code's secret storage.");
    return true;
  }

  /** The stored key, asking for one when there is none. */
  private async apiKey(): Promise<ApiKey | undefined> {
    let value = await this.context.secrets.get(SECRET_NAME);
    if (!value) {
      const choice = await vscode.window.showWarningMessage('Segment Lens: no Klaviyo API key is set.', 'Set Klaviyo API Key');
      if (choice !== 'Set Klaviyo API Key' || !(await this.setApiKey())) return undefined;
      value = await this.context.secrets.get(SECRET_NAME);
    }
    return value ? new ApiKey(value) : undefined;
  }

  /** The key and a client for the configured base URL (asking for a key when none is stored). */
  private async connect(): Promise<{ key: ApiKey; client: KlaviyoClient } | undefined> {
    const key = await this.apiKey();
    if (!key) return undefined;
    try {
      return { key, client: new KlaviyoClient({ apiKey: key, baseUrl: baseUrl() }) };
    } catch (error) {
      await showFailure('Segment Lens', error);
      return undefined;
    }
  }

  private async pickFolder(arg: unknown, title: string, openLabel: string): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    const [folder] =
      (await vscode.window.showOpenDialog({
        title,
        openLabel,
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      })) ?? [];
    return folder;
  }

  async pullWorkspace(arg?: unknown): Promise<void> {
    const folder = await this.pickFolder(arg, 'Pull Workspace from Klaviyo', 'Pull into this folder');
    if (!folder) return;
    const out = folder.fsPath;
    const previous = readPullRecord(out);
    const interrupted = describeInterruptedPull(out);
    type Choice = vscode.QuickPickItem & { options?: Partial<PullOptions>; limits?: boolean };
    const choices: Choice[] = [];
    if (interrupted) {
      choices.push({
        label: '$(debug-continue) Resume the interrupted pull',
        description: `started ${new Date(interrupted.startedAt).toLocaleString()}`,
        options: interrupted.incremental ? { incremental: true } : { since: interrupted.since ?? undefined, maxProfiles: interrupted.maxProfiles ?? undefined },
      });
    }
    if (previous)
      choices.push({
        label: '$(sync) Incremental',
        description: `only what changed since ${new Date(previous.startedAt).toLocaleString()}`,
        options: { incremental: true, fresh: true },
      });
    choices.push({
      label: '$(cloud-download) Full pull',
      description: previous ? 'fetch everything again' : 'metrics, lists, members, profiles, events',
      options: { fresh: interrupted !== undefined },
    });
    choices.push({
      label: '$(filter) Full pull with limits…',
      description: 'at most N profiles, events since a date',
      limits: true,
      options: { fresh: interrupted !== undefined },
    });
    const choice = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: `Pull from Klaviyo into ${basename(out)}` });
    if (!choice) return;
    const pullOptions: Partial<PullOptions> = { ...choice.options };
    if (choice.limits) {
      const max = await vscode.window.showInputBox({
        title: 'Maximum number of profiles (empty: all)',
        validateInput: (v) => (!v.trim() || /^[1-9]\d*$/.test(v.trim()) ? undefined : 'A positive whole number.'),
      });
      if (max === undefined) return;
      const since = await vscode.window.showInputBox({
        title: 'Events since (YYYY-MM-DD; empty: all)',
        validateInput: (v) => (!v.trim() || sinceInstant(v) !== undefined ? undefined : 'A date such as 2025-01-01 (or 2025-01-01T12:00:00Z, UTC).'),
      });
      if (since === undefined) return;
      if (max.trim()) pullOptions.maxProfiles = Number(max.trim());
      if (since.trim()) pullOptions.since = since.trim();
    }
    const connection = await this.connect();
    if (!connection) return;
    const klaviyo = connection.client;

    let result: PullResult | undefined;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Pulling from Klaviyo', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          return pullWorkspace({
            ...pullOptions,
            out,
            client: klaviyo,
            signal: controller.signal,
            onProgress: (p) => {
              const percent = Math.min(100, (p.stepsDone / Math.max(1, p.stepsTotal)) * 100);
              progress.report({ message: `${p.label}: ${p.records.toLocaleString()} records`, increment: Math.max(0, percent - reported) });
              reported = Math.max(reported, percent);
            },
          });
        },
      );
    } catch (error) {
      await showFailure('Segment Lens: the pull failed', error);
      return;
    }
    const c = result.counts;
    const what =
      result.mode === 'incremental' && result.changed
        ? `${result.changed.profiles.toLocaleString()} changed profiles and ${result.changed.events.toLocaleString()} new events merged`
        : `${c.profiles.toLocaleString()} profiles, ${c.events.toLocaleString()} events, ${c.lists} lists, ${c.metrics} metrics`;
    await (this.options.onWorkspacePulled ? this.options.onWorkspacePulled(folder) : vscode.commands.executeCommand('segmentLens.reloadWorkspace'));
    void vscode.window.showInformationMessage(
      `Segment Lens: pulled ${basename(out)} from Klaviyo: ${what}.${result.notes.length ? ` ${result.notes.join(' ')}` : ''}`,
    );
  }

  async pullSegments(arg?: unknown): Promise<void> {
    const folder = await this.pickFolder(arg, 'Pull Segments from Klaviyo', 'Write segments/ here');
    if (!folder) return;
    const connection = await this.connect();
    if (!connection) return;
    const klaviyo = connection.client;
    const run = (force: boolean) =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Pulling segments from Klaviyo', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return pullSegments({
            out: folder.fsPath,
            client: klaviyo,
            force,
            signal: controller.signal,
            onProgress: (n) => progress.report({ message: `${n} segments` }),
          });
        },
      );
    try {
      let result = await run(false);
      if (result.kept.length) {
        const edited = result.kept.filter((k) => k.reason === 'edited-locally').length;
        const answer = await vscode.window.showWarningMessage(
          `${result.kept.length} segment file${result.kept.length === 1 ? '' : 's'} differ${result.kept.length === 1 ? 's' : ''} from the account (${edited} edited locally, ${result.kept.length - edited} changed in Klaviyo). Overwrite with the account's version?`,
          { modal: true, detail: result.kept.map((k) => basename(k.file)).join('\n') },
          'Overwrite',
        );
        if (answer === 'Overwrite') result = await run(true);
      }
      void vscode.window.showInformationMessage(
        `Segment Lens: ${result.total} segments in the account: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.kept.length} kept locally.`,
      );
    } catch (error) {
      await showFailure('Segment Lens: pulling segments failed', error);
    }
  }

  async pushSegment(arg?: unknown): Promise<void> {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('Open a segment file to push it.');
      return;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    let outcome = planPush(text, { fileName: basename(uri.fsPath), language: this.language });
    if (!outcome.ok && /needs a name/.test(outcome.reason)) {
      const name = await vscode.window.showInputBox({ title: 'Name of the new segment', validateInput: (v) => (v.trim() ? undefined : 'Enter a name.') });
      if (!name) return;
      outcome = planPush(text, { fileName: basename(uri.fsPath), name: name.trim(), language: this.language });
    }
    if (!outcome.ok) {
      const choice = await vscode.window.showErrorMessage(`Segment Lens: not pushed. ${outcome.reason}`, ...(outcome.problems.length ? ['Show Problems'] : []));
      if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
      return;
    }
    const plan = outcome.plan;
    const connection = await this.connect();
    if (!connection) return;
    const klaviyo = connection.client;
    try {
      const current =
        plan.action === 'update' && plan.id
          ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fetching segment ${plan.id} from Klaviyo` }, () =>
              fetchSegment(klaviyo, plan.id as string),
            )
          : undefined;
      const preview = previewPush(plan, current);
      if (!preview.changed) {
        void vscode.window.showInformationMessage(`Segment Lens: ${preview.summary.join(' ')}`);
        return;
      }
      const left = this.diffs.uri(plan.action === 'update' ? `klaviyo-${plan.id}.json` : 'new-segment.json', preview.before);
      const right = this.diffs.uri(basename(uri.fsPath), preview.after);
      await vscode.commands.executeCommand(
        'vscode.diff',
        left,
        right,
        plan.action === 'update' ? `Klaviyo ↔ ${basename(uri.fsPath)} (push preview)` : `New segment from ${basename(uri.fsPath)} (push preview)`,
        { preview: true },
      );
      const warnings = plan.notes.filter((p) => p.severity === 'warning').map((p) => `⚠ ${p.message}`);
      const action = plan.action === 'create' ? 'Create Segment' : 'Update Segment';
      const answer = await vscode.window.showWarningMessage(
        preview.summary[0],
        {
          modal: true,
          detail: [...preview.summary.slice(1), ...warnings, document.isDirty ? 'The editor has unsaved changes: they are what will be pushed.' : '']
            .filter(Boolean)
            .join('\n'),
        },
        action,
      );
      if (answer !== action) return;
      const response = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: plan.action === 'create' ? 'Creating the segment in Klaviyo' : `Updating segment ${plan.id} in Klaviyo`,
        },
        () => executePush(klaviyo, plan, { apiKey: connection.key }),
      );
      const updated = textAfterPush(text, plan, response);
      if (updated !== undefined && updated !== text && document.getText() === text) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), updated);
        await vscode.workspace.applyEdit(edit);
        await document.save();
      }
      const name = typeof response.attributes?.name === 'string' ? ` "${response.attributes.name}"` : '';
      const hint = plan.action === 'create' && updated === undefined ? ' The file keeps no id: push it again with the id to update this segment.' : '';
      void vscode.window.showInformationMessage(
        `Segment Lens: ${plan.action === 'create' ? 'created' : 'updated'} segment ${response.id}${name} in Klaviyo.${hint}`,
      );
    } catch (error) {
      await showFailure('Segment Lens: the push failed', error);
    }
  }
}

export function registerKlaviyoCommands(context: vscode.ExtensionContext, options: KlaviyoCommandOptions = {}): void {
  const commands = new KlaviyoCommands(context, options);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, commands.diffs),
    vscode.commands.registerCommand(KLAVIYO_COMMANDS.setApiKey, () => commands.setApiKey()),
    vscode.commands.registerCommand(KLAVIYO_COMMANDS.clearApiKey, async () => {
      await context.secrets.delete(SECRET_NAME);
      void vscode.window.showInformationMessage("Segment Lens: the Klaviyo API key was removed from VS Code's secret storage.");
    }),
    vscode.commands.registerCommand(KLAVIYO_COMMANDS.pullWorkspace, (arg?: unknown) => commands.pullWorkspace(arg)),
    vscode.commands.registerCommand(KLAVIYO_COMMANDS.pullSegments, (arg?: unknown) => commands.pullSegments(arg)),
    vscode.commands.registerCommand(KLAVIYO_COMMANDS.pushSegment, (arg?: unknown) => commands.pushSegment(arg)),
  );
}
