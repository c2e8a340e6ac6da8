import { parentPort, workerData } from 'node:worker_threads';
import { WorkspaceBuilder } from '../engine/workspace';
import { LineProblems, parseLines } from './jsonl';
import { EVENTS_PER_MESSAGE, type FromLoadThread, type LoadThreadData, type ToLoadThread } from './loadThreads';

/**
 * A load thread (see `LoadThreads`): parses the blocks of a JSONL file it is handed. Profiles:
 * each block into a builder of its own, posted back at once (the loader merges blocks in file
 * order). Events: all blocks into one builder, whose events are posted back (and let go) every
 * `EVENTS_PER_MESSAGE` events and on `finish`. Problems with lines are reported with the lines'
 * numbers in the file, as the loading thread would.
 */
const port = parentPort;
if (!port) throw new Error('loadWorker must run in a worker thread');
const data = workerData as LoadThreadData;
const counters = new Int32Array(data.counters);
const problems = new LineProblems();
const events = data.kind === 'events' && data.context ? WorkspaceBuilder.forEvents(data.context, problems) : undefined;
const post = (message: FromLoadThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToLoadThread) => {
  if (message.type === 'finish') {
    if (events) {
      const { transfer, buffers } = events.takeEvents();
      post({ type: 'done', events: transfer, problems: problems.toReport() }, buffers);
    } else {
      post({ type: 'done', problems: new LineProblems().toReport() });
    }
    return;
  }
  const bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength);
  let records = 0;
  if (events) {
    parseLines(
      bytes,
      message.firstLine,
      (value, line) => {
        events.addEvent(value, line);
        records++;
      },
      problems,
    );
    if (events.eventCount >= (data.eventsPerMessage ?? EVENTS_PER_MESSAGE)) {
      const { transfer, buffers } = events.takeEvents();
      post({ type: 'events', events: transfer }, buffers);
    }
  } else {
    const own = new LineProblems();
    const profiles = new WorkspaceBuilder('', 0, own);
    parseLines(
      bytes,
      message.firstLine,
      (value, line) => {
        profiles.addProfile(value, line);
        records++;
      },
      own,
    );
    const { transfer, buffers } = profiles.exportProfiles();
    post({ type: 'profiles', block: message.block, profiles: transfer, problems: own.toReport() }, buffers);
  }
  Atomics.add(counters, 1, records);
  Atomics.add(counters, 0, 1);
});
