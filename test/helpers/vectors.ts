// Known-answer vectors from public sources, one JSON file per primitive in test/vectors/ (each vector names its
// source). Returned loosely typed: each test reads the fields its file defines.
import { readFileSync } from 'node:fs';

export type Vector = Record<string, string | number | string[] | undefined> & { source: string };

export function loadVectors(name: string): Vector[] {
  const file = new URL(`../vectors/${name}.json`, import.meta.url);
  const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] };
  if (!Array.isArray(vectors) || vectors.length === 0) throw new Error(`no vectors in ${name}.json`);
  return vectors;
}

/** A vector's field as a string (throws when absent, so a renamed field fails loudly). */
export function str(v: Vector, field: string): string {
  const value = v[field];
  if (typeof value !== 'string') throw new Error(`vector field "${field}" missing in: ${v.source}`);
  return value;
}

/** Test title: the first words of the source, enough to find it in the file. */
export function title(v: Vector, i: number): string {
  return `#${i} ${v.source.slice(0, 90)}`;
}
