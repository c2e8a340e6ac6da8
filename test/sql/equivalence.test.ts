/**
 * The SQL compiler against the in-memory engine, on real databases: DuckDB in process and a
 * PostgreSQL server started for the suite (see support/postgres.ts). Three corpora, each on
 * both: every segment of sample-workspace/segments on the sample workspace (loaded from its
 * files by DuckDB's read_json statements, and by INSERTs into PostgreSQL); every hand-checked
 * condition case of test/support/conditionCases.ts (compiled without a catalog, so whether a
 * condition is evaluable comes from running the compiler's preconditions); and random
 * workspaces × random definitions from the engine's property-test generators. Every condition,
 * group, running AND, the definition, the count and the counts form must agree with the engine;
 * a condition may differ only where the compiler lists an approximation for it, and the suite
 * reports how many were excluded and by which rule.
 *
 * Runs: SQL_FC_RUNS_SCALE (default 1) scales the random corpus; FC_SEED fixes its seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import { definitionValue } from '../../server/src/segment/parse';
import type { WorkspaceRecords } from '../../server/src/sql/workspaceTables';
import { loadWorkspace } from '../../server/src/workspace/loadWorkspace';
import type { ReferenceData } from '../unit/referenceEvaluator';
import { build, CONDITION_SUITES, type ConditionSuite, type Fixture } from '../support/conditionCases';
import {
  anyCondition,
  buildWorkspace,
  consentCondition,
  funnelCondition,
  membershipCondition,
  metricCondition,
  postalCondition,
  predictiveCondition,
  propertyCondition,
  regionCondition,
  scenarioArb,
} from '../support/engineArbitraries';
import { DuckDbDatabase, PostgresDatabase, type TestDatabase } from './support/databases';
import { checkEquivalence, newStats, statsReport } from './support/equivalence';
import { workspaceFiles, workspaceRecords } from './support/workspaceFiles';

const SAMPLE = join(__dirname, '..', '..', '..', 'sample-workspace');
const SCALE = Number(process.env.SQL_FC_RUNS_SCALE ?? '1');
const SEED = process.env.FC_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FC_SEED);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

function fixtureRecords(f: Fixture): WorkspaceRecords {
  return {
    metrics: f.metrics ?? [],
    lists: f.lists ?? [],
    profiles: f.profiles,
    listMembers: Object.entries(f.members ?? {}).map(([listId, members]) => ({ listId, members })),
    events: f.events ?? [],
  };
}

function dataRecords(data: ReferenceData): WorkspaceRecords {
  return { ...data, listMembers: Object.entries(data.listMembers).map(([listId, members]) => ({ listId, members })) };
}

function* allCases(suite: ConditionSuite, prefix = ''): Generator<{ title: string; checks: ReturnType<ConditionSuite['cases'][number]['checks']> }> {
  const title = prefix ? `${prefix} › ${suite.title}` : suite.title;
  for (const c of suite.cases) yield { title: `${title} › ${c.title}`, checks: c.checks() };
  for (const child of suite.suites) yield* allCases(child, title);
}

/** The random corpus: mixed definitions, and definitions of each condition family. */
const CORPORA: { name: string; runs: number; condition: Parameters<typeof scenarioArb>[0] }[] = [
  { name: 'mixed definitions of every condition type', runs: 120, condition: anyCondition },
  { name: 'profile-property', runs: 60, condition: propertyCondition },
  { name: 'profile-metric', runs: 40, condition: metricCondition },
  { name: 'profile-metric-funnel', runs: 40, condition: funnelCondition },
  { name: 'membership and consent', runs: 40, condition: (now) => fc.oneof(membershipCondition(now), consentCondition(now)) },
  { name: 'postal distance, region, predictive', runs: 30, condition: (now) => fc.oneof(postalCondition(), regionCondition, predictiveCondition(now)) },
];

describe('SQL: the compiled SQL agrees with the in-memory engine', function () {
  this.timeout(900_000);
  const report: string[] = [];

  after(() => {
    // The corpus sizes and the approximations excluded, for the record (docs/sql.md quotes them).
    console.log(`\n    SQL equivalence (FC_SEED=${SEED}):\n    ${report.join('\n    ')}`);
  });

  const databases: [string, () => Promise<TestDatabase>][] = [
    ['DuckDB', () => DuckDbDatabase.open()],
    ["DuckDB, the DuckDB engine's materialised layout", () => DuckDbDatabase.open({ materialized: true })],
    ['PostgreSQL', () => PostgresDatabase.open()],
  ];
  for (const [label, open] of databases) {
    let db: TestDatabase;
    describe(label, () => {
      before(async () => {
        db = await open();
      });
      after(async () => {
        await db?.close();
      });

      it('every segment of sample-workspace/segments, on the sample workspace', async () => {
        const stats = newStats();
        const loaded = await loadWorkspace(SAMPLE, {});
        if (db instanceof DuckDbDatabase) await db.loadFiles(workspaceFiles(SAMPLE));
        else await db.load(workspaceRecords(SAMPLE));
        const language = new SegmentLanguage();
        const folder = join(SAMPLE, 'segments');
        for (const file of readdirSync(folder).sort()) {
          const definition = definitionValue(language.parse(readFileSync(join(folder, file), 'utf8')));
          await checkEquivalence(db, { workspace: loaded.workspace, definition, label: file }, stats);
        }
        report.push(statsReport(`${label}, sample workspace (${loaded.workspace.profileCount} profiles, ${loaded.workspace.eventCount} events)`, stats));
      });

      it('every hand-checked condition case (compiled without a catalog: preconditions decide evaluability)', async () => {
        const stats = newStats();
        for (const suite of CONDITION_SUITES) {
          for (const { title, checks } of allCases(suite)) {
            for (const check of checks) {
              await db.load(fixtureRecords(check.fixture));
              await checkEquivalence(
                db,
                {
                  workspace: build(check.fixture, check.now),
                  definition: { condition_groups: [{ conditions: [check.condition] }] },
                  withPreconditions: true,
                  label: title,
                },
                stats,
              );
            }
          }
        }
        report.push(statsReport(`${label}, hand-checked condition cases`, stats));
      });

      for (const corpus of CORPORA) {
        it(`random workspaces × definitions: ${corpus.name} (${runs(corpus.runs)})`, async () => {
          const stats = newStats();
          const scenarios = fc.sample(scenarioArb(corpus.condition), { numRuns: runs(corpus.runs), seed: SEED + corpus.name.length });
          for (const [i, scenario] of scenarios.entries()) {
            const records = dataRecords(scenario.data);
            await db.load(records);
            await checkEquivalence(
              db,
              {
                workspace: buildWorkspace(scenario.data, scenario.now),
                definition: scenario.definition,
                label: `${corpus.name} #${i} (FC_SEED=${SEED}, now=${new Date(scenario.now).toISOString()})`,
              },
              stats,
            );
          }
          report.push(statsReport(`${label}, random: ${corpus.name}`, stats));
        });
      }
    });
  }
});
