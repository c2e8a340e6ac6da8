import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The subset of JSON Schema our schema uses (see schemas/build-schema.mjs). */
export interface JsonSchema {
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  enumDescriptions?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  not?: JsonSchema;
  contains?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  format?: string;
  examples?: unknown[];
  /** A union lists this property only for completion before its alternative is chosen. */
  'x-unionHint'?: boolean;
}

/** A place where the schema applies `Condition`: the JSON pointer of the value, and the value. */
export interface ConditionSite {
  readonly instancePath: string;
  readonly value: unknown;
}

/** The keyword that stands for `Condition` in the outline schema (see SegmentSchema.errors). */
const OUTLINE_SITE = 'x-conditionSite';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SCHEMA: JsonSchema = require('../../../schemas/segment-definition.schema.json');

/**
 * The segment-file schema, compiled once, with an index from every schema object to its JSON
 * pointer (ajv reports the schema objects themselves, and messages need to know which
 * definition an error belongs to).
 */
export class SegmentSchema {
  readonly root: JsonSchema = SCHEMA;
  readonly validate: ValidateFunction;
  private readonly validateCondition: ValidateFunction;
  /** The schema without the insides of conditions: where `Condition` applies it records the place (see errors). */
  private readonly validateOutline: ValidateFunction;
  private sites: ConditionSite[] = [];
  private readonly pointers = new Map<JsonSchema, string>();

  constructor() {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strictSchema: true, strictTypes: false, strictRequired: false, strictTuples: false });
    ajv.addVocabulary(['enumDescriptions', 'x-unionHint']);
    addFormats(ajv, ['date-time']);
    this.validate = ajv.compile(this.root);
    const condition = ajv.getSchema(`${this.root.$id}#/$defs/Condition`);
    if (!condition) throw new Error('the schema has no Condition definition');
    this.validateCondition = condition;
    ajv.addKeyword({
      keyword: OUTLINE_SITE,
      schemaType: 'boolean',
      errors: false,
      validate: (_schema: unknown, data: unknown, _parent: unknown, context?: { instancePath: string }) => {
        this.sites.push({ instancePath: context?.instancePath ?? '', value: data });
        return true;
      },
    });
    this.validateOutline = ajv.compile({
      ...this.root,
      $id: `${this.root.$id}#outline`.replace('.json#outline', '.outline.json'),
      $defs: { ...this.root.$defs, Condition: { [OUTLINE_SITE]: true } },
    });
    this.index(this.root, '#');
  }

  private index(schema: unknown, pointer: string): void {
    if (typeof schema !== 'object' || schema === null) return;
    if (!Array.isArray(schema)) this.pointers.set(schema as JsonSchema, pointer);
    for (const [key, child] of Object.entries(schema)) this.index(child, `${pointer}/${key}`);
  }

  /**
   * Runs the validator; the errors are ajv's, unfiltered: those outside every condition, then
   * those inside each condition in document order. Each condition is validated on its own (its
   * errors depend on nothing but its value and place), and not at all when `skip` says the caller
   * has what an earlier validation found there.
   */
  errors(value: unknown, skip?: (site: ConditionSite) => boolean): ErrorObject[] {
    this.sites = [];
    const errors = this.validateOutline(value) ? [] : [...(this.validateOutline.errors ?? [])];
    const sites = this.sites;
    this.sites = [];
    for (const site of sites) if (!skip?.(site)) errors.push(...this.siteErrors(site));
    return errors;
  }

  /** The errors inside one condition, with paths from the document's root. */
  private siteErrors(site: ConditionSite): ErrorObject[] {
    const context = { instancePath: site.instancePath, parentData: {}, parentDataProperty: '', rootData: {}, dynamicAnchors: {} };
    return this.validateCondition(site.value, context) ? [] : [...(this.validateCondition.errors ?? [])];
  }

  /** Validates a single condition (for files that hold one condition instead of a definition). */
  conditionErrors(value: unknown): ErrorObject[] {
    return this.validateCondition(value) ? [] : [...(this.validateCondition.errors ?? [])];
  }

  /** The JSON pointer of a schema object inside the schema file. */
  pointerOf(schema: JsonSchema): string | undefined {
    return this.pointers.get(schema);
  }

  /** The `$defs` definition that contains `schema` (e.g. the filter an operator belongs to). */
  definitionOf(schema: JsonSchema): { name: string; schema: JsonSchema } | undefined {
    const match = /^#\/\$defs\/([^/]+)/.exec(this.pointerOf(schema) ?? '');
    if (!match) return undefined;
    const definition = this.root.$defs?.[match[1]];
    return definition ? { name: match[1], schema: definition } : undefined;
  }

  /** Follows a local `$ref`. */
  resolveRef(schema: JsonSchema): JsonSchema | undefined {
    if (!schema.$ref) return undefined;
    const match = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    return match ? this.root.$defs?.[match[1]] : undefined;
  }

  definition(name: string): JsonSchema | undefined {
    return this.root.$defs?.[name];
  }
}
