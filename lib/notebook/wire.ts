// The Jupyter messaging protocol (v5.3) on the wire: signed multipart ZeroMQ frames.
// https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

const DELIMITER = "<IDS|MSG>";
const PROTOCOL_VERSION = "5.3";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

export function newMessage(session: string, msgType: string, content: Record<string, unknown>): Message {
  return {
    header: {
      msg_id: randomUUID(),
      session,
      username: "ecs-takeover",
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
  };
}

export function encode(message: Message, key: string): Buffer[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part)),
  );
  return [Buffer.from(DELIMITER), Buffer.from(sign(parts, key)), ...parts];
}

/** Decodes a multipart message; undefined when it is malformed or its signature does not match. */
export function decode(frames: readonly Buffer[], key: string): Message | undefined {
  const start = frames.findIndex((frame) => frame.toString() === DELIMITER);
  if (start < 0 || frames.length < start + 6) return undefined;
  const signature = frames[start + 1] as Buffer;
  const parts = frames.slice(start + 2, start + 6);
  const expected = Buffer.from(sign(parts, key));
  if (key !== "" && (signature.length !== expected.length || !timingSafeEqual(signature, expected))) return undefined;
  try {
    const [header, parent, metadata, content] = parts.map((part) => JSON.parse(part.toString("utf8")));
    return { header, parent_header: parent, metadata, content };
  } catch {
    return undefined;
  }
}

function sign(parts: readonly Buffer[], key: string): string {
  if (key === "") return "";
  const hmac = createHmac("sha256", key);
  for (const part of parts) hmac.update(part);
  return hmac.digest("hex");
}
