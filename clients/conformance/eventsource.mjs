// A standard EventSource (the npm `eventsource` package follows the WHATWG HTML spec) on one URL: prints,
// as one JSON line, every message with its id, how often the connection opened, and how it ended.
// Usage: node conformance/eventsource.mjs URL [giveUpMs]
import { EventSource } from "eventsource";

const [url, giveUpMs = "20000"] = process.argv.slice(2);
const started = Date.now();
const messages = [];
let opens = 0;

const source = new EventSource(url);
const finish = (how) => {
  source.close();
  console.log(JSON.stringify({ how, opens, messages, ms: Date.now() - started }));
  process.exit(0);
};
source.onopen = () => {
  opens += 1;
};
source.onmessage = (event) => {
  messages.push({ id: event.lastEventId, data: JSON.parse(event.data), at: Date.now() - started });
};
source.onerror = () => {
  // CLOSED after an error: the server ended it for good (204 or a non-stream answer); CONNECTING: a retry.
  if (source.readyState === EventSource.CLOSED) finish("closed");
};
setTimeout(() => finish("still-open"), Number(giveUpMs));
