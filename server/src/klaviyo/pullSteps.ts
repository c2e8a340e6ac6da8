/**
 * The steps of a pull: each collection fetched page by page into its file (resuming at the saved
 * cursor, starting over when the cursor has expired or the file lost writes), and the merges of
 * an incremental pull; with progress reports over all steps.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseInstant } from '../engine/time';
import type { KlaviyoClient, Resource } from './client';
import type { EndpointId } from './endpoints';
import { KlaviyoError } from './errors';
import { fileSize, mergeById, RecordWriter } from './files';
import type { Checkpoint, StepState } from './pullCheckpoint';

export interface PullProgress {
  /** Machine name of the step: metrics, lists, profiles, list-members:<id>, events, merge:<what>, commit. */
  step: string;
  /** Human name: "Profiles", "Members of list Newsletter", … */
  label: string;
  /** Records and pages fetched so far in this step. */
  records: number;
  pages: number;
  stepsDone: number;
  stepsTotal: number;
}

/** One collection to fetch into one file. */
export interface CollectionStep {
  key: string;
  label: string;
  endpoint: EndpointId;
  first: string;
  /** Path of the output file, relative to the temporary folder. */
  file: string;
  format: 'jsonl' | 'json-document';
  /** Filters a page; `stop` ends the step after this page. */
  transform?: (records: Resource[], state: StepState) => { records: Resource[]; stop?: boolean };
}

/** Runs the steps of one pull against its checkpoint, counting them for the progress reports. */
export class StepRunner {
  stepsDone = 0;
  /** Known once the lists are (the member files are one step each). */
  stepsTotal = 5;

  constructor(
    private readonly checkpoint: Checkpoint,
    private readonly client: KlaviyoClient,
    private readonly notes: string[],
    private readonly signal: AbortSignal | undefined,
    private readonly onProgress: ((progress: PullProgress) => void) | undefined,
  ) {}

  report(step: string, label: string, s?: StepState): void {
    this.onProgress?.({ step, label, records: s?.records ?? 0, pages: s?.pages ?? 0, stepsDone: this.stepsDone, stepsTotal: this.stepsTotal });
  }

  /** Fetches a collection to its end (or continues it), saving the checkpoint after every page. */
  async collect(step: CollectionStep): Promise<StepState> {
    const steps = this.checkpoint.state.steps;
    let st = steps[step.key];
    if (!st) {
      st = { done: false, next: step.first, pages: 0, records: 0, bytes: 0, first: step.first };
      steps[step.key] = st;
    }
    if (!st.done) {
      this.report(step.key, step.label, st);
      await this.fetchPages(step, st);
    }
    this.stepsDone++;
    this.report(step.key, step.label, st);
    return st;
  }

  private async fetchPages(step: CollectionStep, st: StepState): Promise<void> {
    const file = join(this.checkpoint.dir, step.file);
    if (st.bytes > 0 && fileSize(file) < st.bytes) {
      // Writes lost after a system crash: this collection cannot be continued, fetch it again.
      this.notes.push(`${step.label}: the partial file was shorter than recorded; fetched the collection again from the start.`);
      Object.assign(st, { next: st.first, pages: 0, records: 0, bytes: 0 });
    }
    let writer = await RecordWriter.open(file, step.format, st);
    try {
      let resumingCursor = st.pages > 0 && st.next !== null;
      while (st.next !== null) {
        if (this.signal?.aborted) throw new KlaviyoError('cancelled', 'Cancelled.');
        let page;
        try {
          page = await this.client.getPage<Resource>(step.endpoint, st.next, this.signal);
        } catch (error) {
          // A saved cursor may have expired: restart this collection from its first page.
          if (resumingCursor && error instanceof KlaviyoError && error.kind === 'bad-request') {
            this.notes.push(`${step.label}: the saved cursor was refused; fetched the collection again from the start.`);
            await writer.close();
            Object.assign(st, { next: st.first, pages: 0, records: 0, bytes: 0 });
            writer = await RecordWriter.open(file, step.format, st);
            resumingCursor = false;
            continue;
          }
          throw error;
        }
        resumingCursor = false;
        const { records, stop } = step.transform ? step.transform(page.data, st) : { records: page.data, stop: false };
        await writer.append(records);
        st.pages++;
        st.records += records.length;
        st.next = stop ? null : page.next;
        st.bytes = writer.bytes;
        await this.checkpoint.save();
        this.report(step.key, step.label, st);
      }
      await writer.finish();
      st.bytes = writer.bytes;
      st.done = true;
      await this.checkpoint.save();
    } finally {
      await writer.close();
    }
  }

  /** Incremental pulls: merges the previous file and the changes by id into `outFile`; returns its records. */
  async merge(
    key: string,
    label: string,
    previousFile: string | undefined,
    incomingFile: string,
    outFile: string,
    keep?: (id: string) => boolean,
  ): Promise<number> {
    const steps = this.checkpoint.state.steps;
    const st = steps[key];
    if (st?.done) {
      this.stepsDone++;
      return st.records;
    }
    this.report(key, label);
    const merged = await mergeById(previousFile, existsSync(incomingFile) ? incomingFile : undefined, outFile, keep);
    steps[key] = { done: true, next: null, pages: 0, records: merged.records, bytes: 0, first: '' };
    await this.checkpoint.save();
    this.stepsDone++;
    this.report(key, label, steps[key]);
    return merged.records;
  }
}

/** An event's time in epoch milliseconds (`timestamp` in seconds, else `datetime`), if it has one. */
export function eventTime(event: Resource): number | undefined {
  const attributes = event.attributes ?? {};
  if (typeof attributes.timestamp === 'number') return attributes.timestamp * 1000;
  return typeof attributes.datetime === 'string' ? parseInstant(attributes.datetime) : undefined;
}

export function relationshipId(event: Resource, name: string): string | undefined {
  const rel = event.relationships?.[name] as { data?: { id?: unknown } } | undefined;
  return typeof rel?.data?.id === 'string' ? rel.data.id : undefined;
}

/** A list member line: the identity, the join date and the links (the profile itself is in profiles.jsonl). */
export function memberLine(resource: Resource): Resource {
  const a = resource.attributes ?? {};
  const attributes: Record<string, unknown> = {};
  for (const key of ['email', 'phone_number', 'external_id', 'joined_group_at']) if (key in a) attributes[key] = a[key];
  return { type: resource.type, id: resource.id, attributes, ...(resource.links ? { links: resource.links } : {}) };
}
