import { describe, expect, test } from "vitest";
import type { Output } from "../../lib/notebook/ipynb";
import { OutputCollector, parseCellError, splitStreams, stderrText } from "../../lib/notebook/outputs";
import { type Message, newMessage } from "../../lib/notebook/wire";

const message = (type: string, content: Record<string, unknown>): Message => newMessage("s", type, content);

describe("OutputCollector", () => {
  test("merges consecutive writes to one stream into lines, as Jupyter saves them", () => {
    const outputs: Output[] = [];
    const collector = new OutputCollector();
    collector.add(outputs, message("stream", { name: "stdout", text: "a\nb" }));
    collector.add(outputs, message("stream", { name: "stdout", text: "c\n" }));
    collector.add(outputs, message("stream", { name: "stderr", text: "warn\n" }));
    splitStreams(outputs);
    expect(outputs).toEqual([
      { output_type: "stream", name: "stdout", text: ["a\n", "bc\n"] },
      { output_type: "stream", name: "stderr", text: ["warn\n"] },
    ]);
  });

  test("keeps JSON MIME types as objects and splits text ones into lines", () => {
    const outputs: Output[] = [];
    new OutputCollector().add(
      outputs,
      message("display_data", {
        data: { "application/vnd.vegalite.v5+json": { mark: "bar" }, "image/svg+xml": "<svg>\n</svg>" },
        metadata: {},
        transient: {},
      }),
    );
    expect(outputs).toEqual([
      {
        output_type: "display_data",
        data: { "application/vnd.vegalite.v5+json": { mark: "bar" }, "image/svg+xml": ["<svg>\n", "</svg>"] },
        metadata: {},
      },
    ]);
  });

  test("an updated display keeps only its final state, also when it lives in an earlier cell", () => {
    const first: Output[] = [];
    const second: Output[] = [];
    const collector = new OutputCollector();
    collector.add(first, message("display_data", { data: { "text/plain": "1/3" }, transient: { display_id: "p" } }));
    collector.add(
      second,
      message("update_display_data", { data: { "text/plain": "2/3" }, transient: { display_id: "p" } }),
    );
    collector.add(
      second,
      message("update_display_data", { data: { "text/plain": "done" }, transient: { display_id: "p" } }),
    );
    expect(first).toEqual([{ output_type: "display_data", data: { "text/plain": ["done"] }, metadata: {} }]);
    expect(second).toEqual([]);
  });

  test("clear_output with wait clears at the next output", () => {
    const outputs: Output[] = [];
    const collector = new OutputCollector();
    collector.add(outputs, message("stream", { name: "stdout", text: "old\n" }));
    collector.add(outputs, message("clear_output", { wait: true }));
    expect(outputs).toHaveLength(1);
    collector.add(outputs, message("stream", { name: "stdout", text: "new\n" }));
    expect(outputs).toEqual([{ output_type: "stream", name: "stdout", text: "new\n" }]);
  });
});

describe("parseCellError", () => {
  test("finds the thrown error after tslab's code excerpt", () => {
    const stderr =
      'evalmachine.<anonymous>:2\nthrow new Error("boom");\n^\n\nError: boom\n    at evalmachine.<anonymous>:2:7\n';
    expect(parseCellError(stderr)).toEqual({ ename: "Error", evalue: "boom", summary: "Error: boom" });
  });

  test("reports TypeScript's diagnostics, all of them", () => {
    const stderr = "1:7 - Type 'string' is not assignable to type 'number'.\n2:1 - Cannot find name 'x'.\n";
    expect(parseCellError(stderr)).toEqual({
      ename: "TypeScriptError",
      evalue: "1:7 - Type 'string' is not assignable to type 'number'.; 2:1 - Cannot find name 'x'.",
      summary: "1:7 - Type 'string' is not assignable to type 'number'.; 2:1 - Cannot find name 'x'.",
    });
  });

  test("keeps custom error names", () => {
    expect(parseCellError("x\nClusterNotFoundException: Cluster not found.\n").ename).toBe("ClusterNotFoundException");
  });

  test("says something even when tslab said nothing", () => {
    expect(parseCellError("").summary).toBe("the cell failed without an error message");
  });

  test("stderrText joins only stderr streams", () => {
    expect(
      stderrText([
        { output_type: "stream", name: "stdout", text: "out" },
        { output_type: "stream", name: "stderr", text: ["a\n", "b"] },
      ]),
    ).toBe("a\nb");
  });
});
