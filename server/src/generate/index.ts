/** The synthetic Klaviyo workspace generator ("Mint Vinyl" record shop). */
export {
  DEFAULT_NAME,
  DEFAULT_NOW,
  DEFAULT_SEED,
  GenerateOptionsError,
  generateWorkspace,
  listResources,
  metricResources,
  type GenerateOptions,
  type GenerateProgress,
  type GenerateSummary,
  type GzipChoice,
} from './generateWorkspace';
export { LISTS, LIST_IDS, METRICS, METRIC_IDS, FORMS } from './definitions';
export { isEuCountry } from './geo';
export { Rng, mix32, hashString } from './prng';
