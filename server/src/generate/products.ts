/** What profiles buy and browse: product picks by taste, and the products' JSON for event properties. */
import { ACCESSORIES_AND_MERCH, ALL_RECORDS, BOX_SET_PRODUCTS, GENRES, GENRE_WEIGHTS, RECORDS_BY_GENRE, TURNTABLES, type Product } from './catalog';
import { asciiJson } from './jsonText';
import type { Rng } from './prng';

export function weightedGenre(rng: Rng): string {
  let total = 0;
  for (const w of GENRE_WEIGHTS) total += w;
  let x = rng.next() * total;
  for (let k = 0; k < GENRES.length; k++) {
    x -= GENRE_WEIGHTS[k]!;
    if (x < 0) return GENRES[k]!;
  }
  return GENRES[0]!;
}

export function pickRecord(rng: Rng, favorite: string | null): Product {
  const genre = favorite && rng.chance(0.6) ? favorite : weightedGenre(rng);
  const list = RECORDS_BY_GENRE.get(genre);
  return list && list.length ? rng.pick(list) : rng.pick(ALL_RECORDS);
}

export function pickProduct(rng: Rng, favorite: string | null, vip: boolean, firstOrder: boolean): Product {
  const r = rng.next();
  if (r < (vip ? 0.1 : 0.04)) return rng.pick(BOX_SET_PRODUCTS);
  if (r < (vip ? 0.16 : firstOrder ? 0.1 : 0.06)) return rng.pick(TURNTABLES);
  if (r < 0.26) return rng.pick(ACCESSORIES_AND_MERCH);
  return pickRecord(rng, favorite);
}

export interface ProductJson {
  readonly name: string;
  readonly categories: string;
  readonly artist: string | null;
  /** Viewed Product properties (constant per product), without the opening brace. */
  readonly viewedBody: string;
  /** Added to Cart properties (constant per product), without the opening brace. */
  readonly addedBody: string;
}
const PRODUCT_JSON = new Map<Product, ProductJson>();
export function productJson(p: Product): ProductJson {
  let j = PRODUCT_JSON.get(p);
  if (!j) {
    const name = asciiJson(p.name);
    const categories = asciiJson(p.categories);
    const artist = p.artist ? asciiJson(p.artist) : null;
    const url = asciiJson(`https://mintvinyl.com/products/${p.handle}`);
    j = {
      name,
      categories,
      artist,
      viewedBody: `"ProductName":${name},"ProductID":"${p.id}","Categories":${categories},"Price":${p.price}${artist ? `,"Artist":${artist}` : ''},"URL":${url}}`,
      addedBody: `"$value":${p.price},"AddedItemProductName":${name},"AddedItemPrice":${p.price},"AddedItemCategories":${categories},"AddedItemQuantity":1,"ItemNames":[${name}]}`,
    };
    PRODUCT_JSON.set(p, j);
  }
  return j;
}
export function itemNamesJson(items: readonly Product[]): string {
  let s = '[';
  for (let k = 0; k < items.length; k++) s += (k ? ',' : '') + productJson(items[k]!).name;
  return s + ']';
}
export function categoriesJson(items: readonly Product[]): string {
  if (items.length === 1) return productJson(items[0]!).categories;
  const seen: string[] = [];
  for (const p of items) for (const c of p.categories) if (!seen.includes(c)) seen.push(c);
  return JSON.stringify(seen); // category names are ASCII
}
