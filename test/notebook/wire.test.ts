import { describe, expect, test } from "vitest";
import { decode, encode, newMessage } from "../../lib/notebook/wire";

describe("Jupyter wire format", () => {
  const message = newMessage("session", "execute_request", { code: "1 + 1" });

  test("a signed message decodes to itself, with routing identities before the delimiter", () => {
    const frames = [Buffer.from("identity"), ...encode(message, "key")];
    expect(decode(frames, "key")).toEqual(message);
  });

  test("a message signed with another key is dropped", () => {
    expect(decode(encode(message, "other"), "key")).toBeUndefined();
  });

  test("a tampered message is dropped", () => {
    const frames = encode(message, "key");
    frames[5] = Buffer.from(JSON.stringify({ code: "evil()" }));
    expect(decode(frames, "key")).toBeUndefined();
  });

  test("truncated frames are dropped", () => {
    expect(decode(encode(message, "key").slice(0, 4), "key")).toBeUndefined();
  });
});
