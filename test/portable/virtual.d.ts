// The test/vectors/*.json files' text, by file name: a module that test/portable.test.ts generates when bundling.
declare module 'portable:vectors' {
  export const VECTOR_FILES: Record<string, string>;
}
