// vega and vega-lite are ESM-only and cannot be require()d (vega-canvas awaits at top level). TypeScript compiles
// `import()` to require() in CommonJS, and notebook cells run in a vm context without dynamic import, so the
// import is made here, by a function TypeScript does not rewrite.
const dynamicImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

export async function importEsm<T>(specifier: string): Promise<T> {
  try {
    return (await dynamicImport(specifier)) as T;
  } catch (error) {
    // Test runners evaluate modules in a vm context of their own, where only their rewritten import() works.
    if ((error as NodeJS.ErrnoException).code !== "ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING") throw error;
    return (await import(specifier)) as T;
  }
}
