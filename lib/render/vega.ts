// A vega-lite spec to SVG, in Node, with no browser and no canvas.
import type { TopLevelSpec } from "vega-lite/build/index";
import { importEsm } from "./esm";

export type VegaLiteSpec = TopLevelSpec;

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite/build/index");

let modules: Promise<[Vega, VegaLite]> | undefined;

function loadVega(): Promise<[Vega, VegaLite]> {
  modules ??= Promise.all([importEsm<Vega>("vega"), importEsm<VegaLite>("vega-lite")]);
  return modules;
}

/** Renders a vega-lite spec to an SVG document. The spec must carry its data inline (a chart never fetches). */
export async function toSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
