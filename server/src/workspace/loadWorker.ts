import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { WorkspaceBuilder } from '../engine/workspace';
import { LineProblems, parseLines } from './jsonl';
import { EVENTS_PER_MESSAGE, LOAD_THREAD_NICE, type FromLoadThread, type LoadThreadData, type ToLoadThread } from './loadThreads';

/**
 * A load thread (see `LoadThreads`): parses the blocks of a JSONL file it is handed. Profiles:
 * each block into a builder of its own, posted back at once (the loader merges blocks in file
 * order). Events: all blocks into one builder, whose events are posted back (and let go) every
 * `EVENTS_PER_MESSAGE` events and on `finish`. Problems with lines are reported with the lines'
 * numbers in the file, as the loading thread would.
 */
const port = parentPort;
if (!port) throw new Error('loadWorker must run in a worker thread');
lowerThisThreadsPriority();
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
      (block, start, end, line, text) => {
        if (!events.addEventLine(block, start, end, line, text)) return false;
        records++;
        return true;
      },
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

/**
 * A load thread is background work: on Linux it asks the scheduler for less of the CPU than the
 * threads that answer the editor (nice 10 on this thread alone; Linux applies `setpriority` with
 * pid 0 to the calling thread), so completion and hover stay quick while a big workspace loads on
 * every core. Where the call would lower the whole process (macOS, Windows) it is not made; a
 * refusal changes nothing else.
 */
function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, LOAD_THREAD_NICE);
  } catch {
    // Not allowed here (a sandbox): the thread runs at the usual priority.
  }
}
