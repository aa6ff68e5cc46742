// Types of scripts/size.mjs, for the tests that import it.
export interface SizeRow {
  name: string;
  /** The minified bundle's text ('' for the .wasm row). */
  code: string;
  /** Bytes after minification (the .wasm: its size). */
  minified: number;
  gzip: number;
  /** The files esbuild bundled, as its metafile names them. */
  inputs: string[];
}
export function measureSizes(resolveDir?: string): Promise<SizeRow[]>;
