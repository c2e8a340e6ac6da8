/**
 * `segment-lens validate --format sarif|github|text`: the SARIF log is validated against the
 * official SARIF 2.1.0 schema (vendored in test/fixtures/sarif with its source and license), and
 * the GitHub workflow commands carry GitHub's escaping.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { FIXTURES, runCli } from './cli';

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; help?: { text: string }; defaultConfiguration?: { level: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } };
      }[];
    }[];
  }[];
}

/**
 * The official schema has two defects a JavaScript validator trips on: `run.language` uses the
 * inline flag `(?i)`, which JavaScript regular expressions lack (it becomes the `i` flag here),
 * and `region` lists its `anyOf` inside `properties`, which makes the schema itself invalid under
 * its meta-schema (so the schema is not checked against the meta-schema; the SARIF log is).
 */
function sarifValidator() {
  const regExp = (pattern: string, flags?: string) => {
    const caseless = pattern.startsWith('^(?i)');
    return new RegExp(caseless ? `^${pattern.slice(5)}` : pattern, `${flags ?? ''}${caseless ? 'i' : ''}`);
  };
  regExp.code = 'new RegExp';
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false, code: { regExp } });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(FIXTURES, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')));
}

const ERROR_AND_WARNING =
  '{\n  "condition_groups": [{"conditions": [\n    {"type": "profile-region", "in_region": true, "region_id": "european_union"},\n    {"type": "profile-region", "in_region": true, "region": "united_states", "extra": 1}\n  ]}]\n}\n';

describe('segment-lens validate --format', () => {
  let temp: string;
  before(() => {
    temp = mkdtempSync(join(tmpdir(), 'segment-lens-sarif-'));
    writeFileSync(join(temp, 'two problems.segment.json'), ERROR_AND_WARNING);
    writeFileSync(join(temp, 'fine.segment.json'), readFileSync(join(FIXTURES, 'validate', 'segments', 'eu-residents.json')));
  });
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('sarif: a SARIF 2.1.0 log that the official schema accepts, with rules, levels and 1-based regions', () => {
    const { code, stdout, stderr } = runCli(['validate', '--format', 'sarif', '.'], { cwd: temp });
    assert.equal(code, 1, 'exit codes stay as for text');
    assert.equal(stderr, '');
    const log = JSON.parse(stdout) as SarifLog;
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'segment-lens');
    const rule = run.tool.driver.rules.find((r) => r.id === 'legacy-region-id');
    // docs/diagnostics.md: | `legacy-region-id` | error | `region_id` → `region` | rename |
    assert.equal(rule?.help?.text, 'region_id → region. Quick fix: rename.');
    assert.equal(rule?.defaultConfiguration?.level, 'error');
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.level]),
      [
        ['legacy-region-id', 'error'],
        ['unknown-property', 'warning'],
      ],
    );
    for (const result of run.results) assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    const [error, warning] = run.results;
    // The error is on the key "region_id" of line 3; the range ends after its closing quote.
    const line3 = ERROR_AND_WARNING.split('\n')[2];
    const column = line3.indexOf('"region_id"') + 1;
    assert.deepEqual(error.locations[0].physicalLocation.region, { startLine: 3, startColumn: column, endLine: 3, endColumn: column + '"region_id"'.length });
    assert.equal(error.locations[0].physicalLocation.artifactLocation.uri, 'two%20problems.segment.json');
    assert.equal(warning.locations[0].physicalLocation.region.startLine, 4);
  });

  it('sarif: the validator used here rejects a broken log (the check can fail)', () => {
    const log = JSON.parse(runCli(['validate', '--format', 'sarif', '.'], { cwd: temp }).stdout) as SarifLog;
    (log.runs[0].results[0] as { level: string }).level = 'fatal';
    assert.equal(sarifValidator()(log), false);
  });

  it('github: one workflow command per problem, with the range and the code as title', () => {
    const { code, stdout, stderr } = runCli(['validate', '--format', 'github', '.'], { cwd: temp });
    assert.equal(code, 1);
    const column = ERROR_AND_WARNING.split('\n')[2].indexOf('"region_id"') + 1;
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      new RegExp(
        `^::error file=two problems\\.segment\\.json,line=3,col=${column},endLine=3,endColumn=${column + 10},title=legacy-region-id::"region_id" is the spelling`,
      ),
    );
    assert.match(lines[1], /^::warning file=two problems\.segment\.json,line=4,col=\d+,endLine=4,endColumn=\d+,title=unknown-property::/);
    assert.match(stderr, /2 files checked: 1 error, 1 warning/);
  });

  it('github: escapes % and line breaks in data, and : and , in properties', () => {
    const dir = mkdtempSync(join(temp, 'weird-'));
    writeFileSync(
      join(dir, 'a:b,c%.segment.json'),
      '{"condition_groups": [{"conditions": [{"type": "profile-region", "in_region": true, "region_id": "eu"}]}]}',
    );
    const { stdout } = runCli(['validate', '--format', 'github', '.'], { cwd: dir });
    assert.match(stdout, /^::error file=a%3Ab%2Cc%25\.segment\.json,line=1,/);
  });

  it('text stays path:line:col: severity: message [code]; json and --json agree; unknown formats are usage errors', () => {
    const text = runCli(['validate', '--format', 'text', join('test', 'fixtures', 'validate', 'legacy-region.segment.json')]);
    assert.equal(text.stdout, runCli(['validate', join('test', 'fixtures', 'validate', 'legacy-region.segment.json')]).stdout);
    assert.match(text.stdout, /^test\/fixtures\/validate\/legacy-region\.segment\.json:5:56: error: .* \[legacy-region-id\]$/m);
    assert.equal(runCli(['validate', '--format', 'json', '.'], { cwd: temp }).stdout, runCli(['validate', '--json', '.'], { cwd: temp }).stdout);
    assert.equal(runCli(['validate', '--format', 'xml', '.'], { cwd: temp }).code, 2);
    assert.equal(runCli(['validate', '--json', '--format', 'sarif', '.'], { cwd: temp }).code, 2);
  });
});
