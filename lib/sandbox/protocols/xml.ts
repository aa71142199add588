// The XML half of the schema walk: an SDK output → XML elements (awsQuery, ec2Query, restXml), and a restXml
// request body → the SDK input. Also the few XML text rules every family shares.
import type { NormalizedSchema } from "@smithy/core/schema";
import { isObject, numberText, scalarFromText, toBytes, toDate } from "../schema";
import type { BoundService } from "./types";

// XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates without a pair and U+FFFE/U+FFFF.
const DISALLOWED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escaped text; CR and LF as character references so that parsers keep them as sent. */
export function xmlText(value: string): string {
  return value
    .replace(DISALLOWED, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#xD;")
    .replace(/\n/g, "&#xA;");
}

export function element(name: string, content: string, attributes = ""): string {
  return `<${name}${attributes}>${content}</${name}>`;
}

/** The `xmlns` attribute of a service's response root, if it has a namespace. */
export function xmlns(service: BoundService | undefined): string {
  return service?.api.xmlNamespace ? ` xmlns="${service.api.xmlNamespace}"` : "";
}

/** The child elements of a structure (without the structure's own element). */
export function xmlMembers(ns: NormalizedSchema, value: unknown): string {
  if (!isObject(value)) return "";
  let out = "";
  for (const [name, member] of ns.structIterator()) {
    const traits = member.getMergedTraits();
    if (traits.httpHeader || traits.httpPrefixHeaders || traits.httpResponseCode || traits.xmlAttribute) continue;
    const v = value[name];
    if (v === undefined || v === null) continue;
    const elementName = member.getMemberTraits().xmlName ?? name;
    out += xmlValue(member, elementName, v);
  }
  return out;
}

/** One member as its element(s): flattened lists and maps repeat the member's element. */
export function xmlValue(ns: NormalizedSchema, name: string, value: unknown): string {
  if (ns.isStructSchema()) return isObject(value) ? element(name, xmlMembers(ns, value), xmlAttributes(ns, value)) : "";
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return "";
    const item = ns.getValueSchema();
    const items = value.filter((v) => v !== null && v !== undefined);
    if (ns.getMergedTraits().xmlFlattened) return items.map((v) => xmlValue(item, name, v)).join("");
    const itemName = item.getMergedTraits().xmlName ?? "member";
    return element(name, items.map((v) => xmlValue(item, itemName, v)).join(""));
  }
  if (ns.isMapSchema()) {
    if (!isObject(value)) return "";
    const keyName = ns.getKeySchema().getMergedTraits().xmlName ?? "key";
    const valueSchema = ns.getValueSchema();
    const valueName = valueSchema.getMergedTraits().xmlName ?? "value";
    const entries = Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => element(keyName, xmlText(k)) + xmlValue(valueSchema, valueName, v));
    if (ns.getMergedTraits().xmlFlattened) return entries.map((e) => element(name, e)).join("");
    return element(name, entries.map((e) => element("entry", e)).join(""));
  }
  const text = scalarText(ns, value);
  return text === undefined ? "" : element(name, xmlText(text));
}

function xmlAttributes(ns: NormalizedSchema, value: Record<string, unknown>): string {
  let out = "";
  for (const [name, member] of ns.structIterator()) {
    const traits = member.getMergedTraits();
    if (!traits.xmlAttribute) continue;
    const text = scalarText(member, value[name]);
    if (text !== undefined) out += ` ${traits.xmlName ?? name}="${xmlText(text)}"`;
  }
  return out;
}

/** A scalar as text for XML bodies and HTTP headers. */
export function scalarText(ns: NormalizedSchema, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (ns.isTimestampSchema()) {
    const date = toDate(value);
    if (!date) return undefined;
    const format = ns.getSchema();
    if (format === 6 || (format === 4 && ns.getMergedTraits().httpHeader)) return date.toUTCString();
    if (format === 7) return numberText(date.getTime() / 1000);
    return date.toISOString();
  }
  if (ns.isBlobSchema()) {
    const bytes = toBytes(value);
    return bytes ? Buffer.from(bytes).toString("base64") : undefined;
  }
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

// ---- Reading XML request bodies (restXml) ----

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

/** A small, strict XML reader for request bodies: elements, attributes, text, CDATA; no DTDs. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`malformed XML at offset ${i}: ${why}`);
  };
  const skipMisc = () => {
    for (;;) {
      while (i < source.length && /\s/.test(source.charAt(i))) i++;
      if (source.startsWith("<?", i)) i = end("?>");
      else if (source.startsWith("<!--", i)) i = end("-->");
      else return;
    }
  };
  const end = (marker: string) => {
    const at = source.indexOf(marker, i);
    if (at === -1) fail(`missing ${marker}`);
    return at + marker.length;
  };
  const readElement = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.:-]*)/.exec(source.slice(i, i + 256));
    if (!open?.[1]) return fail("expected an element");
    const name = open[1];
    i += open[0].length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const attribute = /^\s+([\w.:-]+)\s*=\s*("([^"]*)"|'([^']*)')/.exec(source.slice(i));
      if (!attribute?.[1]) break;
      attributes[attribute[1]] = decodeEntities(attribute[3] ?? attribute[4] ?? "");
      i += attribute[0].length;
    }
    while (/\s/.test(source.charAt(i))) i++;
    const node: XmlElement = { name, attributes, children: [], text: "" };
    if (source.startsWith("/>", i)) {
      i += 2;
      return node;
    }
    if (source.charAt(i) !== ">") fail(`unterminated <${name}>`);
    i++;
    for (;;) {
      if (i >= source.length) fail(`missing </${name}>`);
      if (source.startsWith("</", i)) {
        const close = `</${name}`;
        if (!source.startsWith(close, i)) fail(`mismatched close of <${name}>`);
        i = end(">");
        return node;
      }
      if (source.startsWith("<![CDATA[", i)) {
        const at = source.indexOf("]]>", i);
        if (at === -1) fail("unterminated CDATA");
        node.text += source.slice(i + 9, at);
        i = at + 3;
      } else if (source.startsWith("<!--", i)) i = end("-->");
      else if (source.startsWith("<?", i)) i = end("?>");
      else if (source.charAt(i) === "<") node.children.push(readElement());
      else {
        const at = source.indexOf("<", i);
        node.text += decodeEntities(source.slice(i, at === -1 ? source.length : at));
        i = at === -1 ? source.length : at;
      }
    }
  };
  skipMisc();
  const root = readElement();
  skipMisc();
  if (i < source.length) fail("content after the root element");
  return root;
}

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? whole;
  });
}

/** An element read against a schema → the SDK value (the inverse of xmlValue). */
export function readXml(ns: NormalizedSchema, node: XmlElement): unknown {
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const traits = member.getMergedTraits();
      if (traits.httpHeader || traits.httpLabel || traits.httpQuery || traits.httpQueryParams) continue;
      if (traits.httpPrefixHeaders) continue;
      const elementName = member.getMemberTraits().xmlName ?? name;
      if (traits.xmlAttribute) {
        const attribute = node.attributes[traits.xmlName ?? name];
        if (attribute !== undefined) out[name] = scalarFromText(member, attribute);
        continue;
      }
      const matches = node.children.filter((child) => child.name === elementName);
      const first = matches[0];
      if (!first) continue;
      const flattened = (member.isListSchema() || member.isMapSchema()) && traits.xmlFlattened;
      out[name] = flattened ? readFlattened(member, matches) : readXml(member, first);
    }
    return out;
  }
  if (ns.isListSchema()) {
    const item = ns.getValueSchema();
    const itemName = item.getMergedTraits().xmlName ?? "member";
    return node.children.filter((child) => child.name === itemName).map((child) => readXml(item, child));
  }
  if (ns.isMapSchema())
    return readEntries(
      ns,
      node.children.filter((child) => child.name === "entry"),
    );
  return scalarFromText(ns, node.text);
}

function readFlattened(ns: NormalizedSchema, nodes: XmlElement[]): unknown {
  if (ns.isMapSchema()) return readEntries(ns, nodes);
  const item = ns.getValueSchema();
  return nodes.map((node) => readXml(item, node));
}

function readEntries(ns: NormalizedSchema, entries: XmlElement[]): Record<string, unknown> {
  const keyName = ns.getKeySchema().getMergedTraits().xmlName ?? "key";
  const valueName = ns.getValueSchema().getMergedTraits().xmlName ?? "value";
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const key = entry.children.find((child) => child.name === keyName);
    const value = entry.children.find((child) => child.name === valueName);
    if (key && value) out[key.text] = readXml(ns.getValueSchema(), value);
  }
  return out;
}
