import { parentPort, workerData } from 'node:worker_threads';
import { WorkspaceBuilder } from '../engine/workspace';
import type { EventsThreadData, EventsThreadResult, ToEventsThread } from './eventThreads';
import { notAResource, parseLines, SkippedLines } from './jsonl';

/**
 * An events thread (see `EventThreads`): parses the blocks of events.jsonl it is handed into its
 * own builder, and on `finish` posts what it read back to the loading thread.
 */
const port = parentPort;
if (!port) throw new Error('eventsWorker must run in a worker thread');
const data = workerData as EventsThreadData;
const builder = WorkspaceBuilder.forEvents(data.context);
const counters = new Int32Array(data.counters);
const skipped = new SkippedLines();
let records = 0;
const onRecord = (value: unknown, line: number): void => {
  if (!builder.addEvent(value, line)) notAResource('event', line, skipped);
  records++;
};

port.on('message', (message: ToEventsThread) => {
  if (message.type === 'lines') {
    records = 0;
    parseLines(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength), message.firstLine, onRecord, skipped);
    Atomics.add(counters, 1, records);
    Atomics.add(counters, 0, 1);
    return;
  }
  const { transfer, buffers } = builder.exportEvents();
  const result: EventsThreadResult = { events: transfer, skipped: { first: skipped.first, counts: skipped.counts } };
  port.postMessage(result, buffers);
});
