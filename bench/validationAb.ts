/**
 * Validation before and after a change, in one process, alternated: `node out/bench/validationAb.js
 * <before-out> [after-out] [--rounds N]`, where each argument is the `out/` folder of a build (the
 * code before: for example a checkout of the older commit, built with `npm run build`; default
 * after: this build's). Prints the medians of parse + validate from scratch (open), of parse alone,
 * and of parse + validate after an edit of one condition (typing: with the previous version's
 * memo where the build has one, else from scratch).
 */
import { resolve, join } from 'node:path';
import { generateSegmentText, editedText } from './validationBench';
import { median } from './stats';

interface Build {
  name: string;
  parse(text: string): unknown;
  validate(parsed: unknown, options?: object): unknown;
  memo: object | undefined;
}

function load(name: string, out: string): Build {
  const segment = join(resolve(out), 'server', 'src', 'segment');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SegmentLanguage } = require(join(segment, 'languageService.js')) as { SegmentLanguage: new () => Omit<Build, 'name' | 'memo'> };
  let memo: object | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ConditionMemo } = require(join(segment, 'conditionMemo.js')) as { ConditionMemo: new () => object };
    memo = new ConditionMemo();
  } catch {
    memo = undefined; // a build from before the memo
  }
  const language = new SegmentLanguage();
  return { name, parse: (text) => language.parse(text), validate: (parsed, options) => language.validate(parsed, options), memo };
}

function main(): void {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 31;
  if (args.length < 1 || !Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write('usage: node out/bench/validationAb.js <before-out> [after-out] [--rounds N]\n');
    process.exit(2);
  }
  const builds = [load('before', args[0]), load('after', args[1] ?? join(__dirname, '..'))];
  const text = generateSegmentText();
  for (const build of builds) build.validate(build.parse(text), { reuse: build.memo });
  const times = new Map(builds.map((build) => [build.name, { open: [] as number[], parse: [] as number[], edit: [] as number[] }]));
  const time = (work: () => unknown) => {
    const started = performance.now();
    work();
    return performance.now() - started;
  };
  let current = text;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...builds].reverse() : builds;
    current = editedText(current, round);
    const edited = current;
    for (const build of order) {
      const measured = times.get(build.name)!;
      measured.open.push(time(() => build.validate(build.parse(text))));
      measured.parse.push(time(() => build.parse(text)));
    }
    for (const build of order) times.get(build.name)!.edit.push(time(() => build.validate(build.parse(edited), { reuse: build.memo })));
  }
  const [before, after] = builds.map((build) => times.get(build.name)!);
  const row = (label: string, b: number[], a: number[]) =>
    `${label.padEnd(32)} ${median(b).toFixed(1).padStart(7)} ms ${median(a).toFixed(1).padStart(7)} ms ${(median(a) / median(b)).toFixed(2).padStart(6)}`;
  process.stdout.write(
    [
      `${`median of ${rounds} rounds`.padEnd(32)}   before      after  after/before`,
      row('open: parse + validate', before.open, after.open),
      row('edit: parse + validate', before.edit, after.edit),
      row('parse alone', before.parse, after.parse),
      '',
    ].join('\n'),
  );
}

main();
