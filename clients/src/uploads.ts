/**
 * Uploads with progress. XMLHttpRequest is the only browser API that reports upload progress, so it is
 * used where it exists; elsewhere (node) fetch sends the body and progress jumps from 0 to 1.
 */
import type { AtelierClient } from "./client";
import { problemToError } from "./errors";

export interface UploadProgress {
  loaded: number;
  total: number;
  fraction: number;
}

export interface SendOptions {
  method: string;
  url: string;
  body: FormData | Blob;
  headers?: Record<string, string>;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export async function sendWithProgress(client: AtelierClient, options: SendOptions): Promise<unknown> {
  const headers = { ...(options.headers ?? {}), ...authHeaders(client) };
  const parse = (status: number, text: string): unknown => {
    const body: unknown = text ? safeJson(text) : null;
    if (status < 200 || status >= 300) throw problemToError(body, status);
    return body;
  };
  if (typeof XMLHttpRequest === "undefined") {
    options.onProgress?.({ loaded: 0, total: 1, fraction: 0 });
    const response = await client.fetch(
      new Request(options.url, { method: options.method, body: options.body, headers, signal: options.signal }),
    );
    const result = parse(response.status, await response.text());
    options.onProgress?.({ loaded: 1, total: 1, fraction: 1 });
    return result;
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.method, options.url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      const total = event.lengthComputable ? event.total : 0;
      options.onProgress?.({ loaded: event.loaded, total, fraction: total ? event.loaded / total : 0 });
    };
    xhr.onload = () => {
      try {
        resolve(parse(xhr.status, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new Error(`upload to ${options.url} failed (network)`));
    xhr.onabort = () => reject(new DOMException("upload aborted", "AbortError"));
    options.signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(options.body);
  });
}

function authHeaders(client: AtelierClient): Record<string, string> {
  const tokens = client.tokens.get();
  return tokens ? { authorization: `Bearer ${tokens.accessToken}` } : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
