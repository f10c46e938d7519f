// @vitest-environment node
import { describe, expect, it } from "vitest";
import { SseParser } from "../src/sse";

describe("SseParser", () => {
  it("joins data lines, keeps ids, skips comments", () => {
    const parser = new SseParser();
    const out = parser.feed(": keep-alive\n\nid: 1\ndata: {\"a\":\ndata: 1}\n\nevent: x\ndata: y\n\n");
    expect(out).toEqual([
      { id: "1", event: "message", data: '{"a":\n1}' },
      { id: null, event: "x", data: "y" },
    ]);
    expect(parser.lastEventId).toBe("1");
  });

  it("gives the same messages however the stream is chunked, CRLF included", () => {
    const text = "id: a\r\ndata: one\r\n\r\n:c\r\nid: b\r\ndata: two\r\n\r\n";
    const whole = new SseParser().feed(text);
    for (let size = 1; size < text.length; size += 3) {
      const parser = new SseParser();
      const pieces: ReturnType<SseParser["feed"]> = [];
      for (let i = 0; i < text.length; i += size) pieces.push(...parser.feed(text.slice(i, i + size)));
      expect(pieces).toEqual(whole);
    }
    expect(whole.map((m) => m.data)).toEqual(["one", "two"]);
  });

  it("holds back an incomplete message", () => {
    const parser = new SseParser();
    expect(parser.feed("data: half")).toEqual([]);
    expect(parser.feed("\n\n")).toEqual([{ id: null, event: "message", data: "half" }]);
  });
});

describe("openSse", () => {
  it("drops a message that repeats the previous one's key, and resumes with Last-Event-ID", async () => {
    const { openSse } = await import("../src/sse");
    const bodies = ["id: 1\ndata: a\n\nid: 1\ndata: a\n\n", "id: 2\ndata: b\n\n"];
    const sent: (string | null)[] = [];
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      openSse("http://example.test/stream", {
        retryMs: 1,
        fetch: async (request) => {
          sent.push(request.headers.get("last-event-id"));
          return new Response(bodies.shift() ?? "", { headers: { "content-type": "text/event-stream" } });
        },
        dedupeKey: (m) => m.data,
        isDone: () => got.length === 2,
        onMessage: (m) => {
          got.push(m.data);
          if (got.length === 2) resolve();
        },
      });
    });
    expect(got).toEqual(["a", "b"]);
    expect(sent).toEqual([null, "1"]);
  });
});
