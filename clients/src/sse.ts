/**
 * Server-Sent Events over fetch (EventSource cannot send an Authorization header). Reconnects with
 * backoff and resumes with Last-Event-ID, so events are neither lost nor repeated across a dropped line.
 */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export interface SseOptions {
  fetch: (request: Request) => Promise<Response>;
  onMessage: (message: SseMessage) => void;
  /** Return true to stop for good (e.g. on a terminal status); the stream is not reopened after that. */
  isDone?: () => boolean;
  onError?: (error: unknown, attempt: number) => void;
  onOpen?: () => void;
  lastEventId?: string | null;
  /** Backoff starts here and doubles to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  maxAttempts?: number;
  /**
   * Drops a message whose key equals the previous message's (across reconnects too): a stream that reads
   * its snapshot after subscribing can deliver one state twice when an event lands in between.
   */
  dedupeKey?: (message: SseMessage) => string | null;
}

/** Splits a text/event-stream into messages (the WHATWG parsing rules, minus `retry` handling). */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private id: string | null = null;
  lastEventId: string | null = null;

  feed(chunk: string): SseMessage[] {
    let text = this.buffer + chunk;
    // A chunk ending in \r may be half of \r\n: keep it until the next chunk says which.
    const tail = text.endsWith("\r") ? "\r" : "";
    if (tail) text = text.slice(0, -1);
    const out: SseMessage[] = [];
    const lines = text.split(/\r\n|\r|\n/);
    this.buffer = (lines.pop() ?? "") + tail;
    for (const line of lines) {
      if (line === "") {
        if (this.data.length > 0) {
          if (this.id !== null) this.lastEventId = this.id;
          out.push({ id: this.id, event: this.event || "message", data: this.data.join("\n") });
        }
        this.data = [];
        this.event = "";
        this.id = null;
        continue;
      }
      if (line.startsWith(":")) continue; // comment: keep-alive
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") this.data.push(value);
      else if (field === "event") this.event = value;
      else if (field === "id") this.id = value;
    }
    return out;
  }
}

/** Opens the stream and keeps it open until stop() or isDone(); returns stop(). */
export function openSse(url: string, options: SseOptions): () => void {
  const controller = new AbortController();
  let lastEventId = options.lastEventId ?? null;
  const base = options.retryMs ?? 500;
  const cap = options.maxRetryMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  let lastKey: string | null = null;

  async function once(): Promise<void> {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const response = await options.fetch(new Request(url, { headers, signal: controller.signal }));
    if (!response.ok || !response.body) {
      const error = new Error(`SSE ${url}: HTTP ${response.status}`) as Error & { status: number };
      error.status = response.status;
      throw error;
    }
    options.onOpen?.();
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const message of parser.feed(value)) {
          if (message.id !== null) lastEventId = message.id;
          const key = options.dedupeKey?.(message) ?? null;
          if (key !== null && key === lastKey) continue;
          lastKey = key;
          options.onMessage(message);
        }
        if (options.isDone?.()) return;
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  }

  async function loop(): Promise<void> {
    let attempt = 0;
    while (!controller.signal.aborted && !options.isDone?.()) {
      try {
        await once();
        attempt = 0; // a clean end: the server closed (terminal state or restart); reopen unless done
      } catch (error) {
        if (controller.signal.aborted) return;
        attempt += 1;
        options.onError?.(error, attempt);
        const status = (error as { status?: number }).status;
        if (attempt >= maxAttempts || (status !== undefined && status >= 400 && status < 500)) return;
      }
      if (controller.signal.aborted || options.isDone?.()) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(cap, base * 2 ** Math.max(0, attempt - 1))));
    }
  }

  void loop();
  return () => controller.abort();
}
