/** esbuild's `loader: { '.ttf': 'binary' }` (lib/constructs/lambda-bundling.ts) turns a font import into its bytes. */
declare module '*.ttf' {
  const bytes: Uint8Array;
  export default bytes;
}
