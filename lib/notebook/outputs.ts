// Turns a kernel's iopub messages into nbformat outputs, as Jupyter would save them.
import { isRecord } from "../json";
import type { MimeBundle, Output } from "./ipynb";
import { sourceText as joinText, toLines } from "./ipynb";
import type { Message } from "./wire";

/** Collects the outputs of all cells of one run; a display updated later keeps only its final state. */
export class OutputCollector {
  private readonly displays = new Map<string, Output[]>();
  private readonly clearPending = new WeakSet<Output[]>();

  /** Applies one iopub message to the outputs of the cell it belongs to. */
  add(outputs: Output[], message: Message): void {
    const content = message.content;
    switch (message.header.msg_type) {
      case "stream":
        this.clearIfPending(outputs);
        appendStream(outputs, content.name === "stderr" ? "stderr" : "stdout", String(content.text ?? ""));
        return;
      case "display_data":
      case "execute_result": {
        this.clearIfPending(outputs);
        const data = normaliseBundle(content.data);
        const metadata = isRecord(content.metadata) ? content.metadata : {};
        const output: Output =
          message.header.msg_type === "display_data"
            ? { output_type: "display_data", data, metadata }
            : {
                output_type: "execute_result",
                execution_count: typeof content.execution_count === "number" ? content.execution_count : null,
                data,
                metadata,
              };
        outputs.push(output);
        const displayId = transientDisplayId(content);
        if (displayId !== undefined) this.displays.set(displayId, [...(this.displays.get(displayId) ?? []), output]);
        return;
      }
      case "update_display_data": {
        const displayId = transientDisplayId(content);
        for (const output of displayId === undefined ? [] : (this.displays.get(displayId) ?? [])) {
          if (output.output_type === "display_data" || output.output_type === "execute_result") {
            output.data = normaliseBundle(content.data);
            output.metadata = isRecord(content.metadata) ? content.metadata : {};
          }
        }
        return;
      }
      case "clear_output":
        if (content.wait === true) this.clearPending.add(outputs);
        else outputs.splice(0);
        return;
      case "error":
        outputs.push({
          output_type: "error",
          ename: String(content.ename ?? ""),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        return;
      default:
        return;
    }
  }

  private clearIfPending(outputs: Output[]): void {
    if (!this.clearPending.has(outputs)) return;
    this.clearPending.delete(outputs);
    outputs.splice(0);
  }
}

/** The text a cell wrote to stderr: tslab reports errors only there. */
export function stderrText(outputs: readonly Output[]): string {
  return outputs
    .map((output) => (output.output_type === "stream" && output.name === "stderr" ? joinText(output.text) : ""))
    .join("");
}

export interface CellError {
  ename: string;
  evalue: string;
  /** One line for a person: what went wrong, as tslab said it. */
  summary: string;
}

/**
 * tslab sends no ename or evalue: the error is only its stderr text. Runtime errors end in `Name: message` after
 * a code excerpt; TypeScript errors are `line:column - message` lines.
 */
export function parseCellError(stderr: string): CellError {
  const lines = stderr.split("\n").map((line) => line.trimEnd());
  const typeErrors = lines.filter((line) => /^\d+:\d+ - /.test(line));
  if (typeErrors.length > 0) {
    const evalue = typeErrors.join("; ");
    return { ename: "TypeScriptError", evalue, summary: evalue };
  }
  const thrown = lines.find((line) => /^[A-Za-z_$][\w$.]*: /.test(line) && !line.startsWith("evalmachine"));
  if (thrown !== undefined) {
    const separator = thrown.indexOf(": ");
    return { ename: thrown.slice(0, separator), evalue: thrown.slice(separator + 2), summary: thrown };
  }
  const last = lines.filter((line) => line.trim() !== "" && !/^\s+at /.test(line)).pop();
  return { ename: "Error", evalue: last ?? "", summary: last ?? "the cell failed without an error message" };
}

/** Streams are kept as one string while a cell runs (a cell may print 20,000 lines); see `splitStreams`. */
function appendStream(outputs: Output[], name: "stdout" | "stderr", text: string): void {
  const last = outputs[outputs.length - 1];
  if (last?.output_type === "stream" && last.name === name) {
    last.text = joinText(last.text) + text;
  } else {
    outputs.push({ output_type: "stream", name, text });
  }
}

/** Splits stream text into nbformat's list of lines, as Jupyter saves it. */
export function splitStreams(outputs: Output[]): void {
  for (const output of outputs) {
    if (output.output_type === "stream") output.text = toLines(joinText(output.text));
  }
}

/** nbformat keeps JSON MIME types as objects and splits text ones into lines. */
function normaliseBundle(data: unknown): MimeBundle {
  const bundle: MimeBundle = {};
  for (const [mime, value] of Object.entries(isRecord(data) ? data : {})) {
    bundle[mime] = typeof value === "string" && !isJsonMime(mime) ? toLines(value) : value;
  }
  return bundle;
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || mime.endsWith("+json");
}

function transientDisplayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient;
  return isRecord(transient) && typeof transient.display_id === "string" ? transient.display_id : undefined;
}
