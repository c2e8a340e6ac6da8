import { parentPort, workerData } from 'node:worker_threads';
import { WorkspaceBuilder } from '../engine/workspace';
import { notAResource, parseLines, SkippedLines } from './jsonl';
import type { FromLoadThread, LoadThreadData, ToLoadThread } from './loadThreads';

/**
 * A load thread (see `LoadThreads`): parses the blocks of a JSONL file it is handed. Profiles:
 * each block into a builder of its own, posted back at once (the loader merges blocks in file
 * order). Events: all blocks into one builder, posted back on `finish`.
 */
const port = parentPort;
if (!port) throw new Error('loadWorker must run in a worker thread');
const data = workerData as LoadThreadData;
const counters = new Int32Array(data.counters);
const events = data.kind === 'events' && data.context ? WorkspaceBuilder.forEvents(data.context) : undefined;
const skipped = new SkippedLines();
const post = (message: FromLoadThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToLoadThread) => {
  if (message.type === 'finish') {
    if (events) {
      const { transfer, buffers } = events.exportEvents();
      post({ type: 'done', events: transfer, skipped: { first: skipped.first, counts: skipped.counts } }, buffers);
    } else {
      post({ type: 'done', skipped: { first: [], counts: { 'broken-line': 0, 'not-a-resource': 0 } } });
    }
    return;
  }
  const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
  let records = 0;
  if (events) {
    parseLines(bytes, message.firstLine, (value, line) => {
      if (!events.addEvent(value, line)) notAResource('event', line, skipped);
      records++;
    }, skipped);
  } else {
    const profiles = new WorkspaceBuilder('', 0);
    const own = new SkippedLines();
    parseLines(bytes, message.firstLine, (value, line) => {
      if (!profiles.addProfile(value)) notAResource('profile', line, own);
      records++;
    }, own);
    const { transfer, buffers } = profiles.exportProfiles();
    post({ type: 'profiles', block: message.block, profiles: transfer, skipped: { first: own.first, counts: own.counts } }, buffers);
  }
  Atomics.add(counters, 1, records);
  Atomics.add(counters, 0, 1);
});
