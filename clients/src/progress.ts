/**
 * The JSON of one SSE progress event, exactly as app/platform/events.py publishes it (snake_case keys
 * plus jobId). Not in OpenAPI (an event stream has no schema there), so a test compares these keys with
 * a real event from the server: the client can never read a key the server does not send.
 */
import type { components } from "./generated/openapi";

export type GenerationStatus = components["schemas"]["GenerationStatus"];

export interface ProgressEvent {
  job_id: string;
  jobId: string;
  board_id: string;
  status: GenerationStatus;
  progress: number;
  phase: string | null;
  message: string | null;
  estimated_completion: string | null;
  artifacts: { url: string; type: string }[];
  error: string | null;
  timestamp: string;
}

export const PROGRESS_EVENT_KEYS = [
  "job_id",
  "jobId",
  "board_id",
  "status",
  "progress",
  "phase",
  "message",
  "estimated_completion",
  "artifacts",
  "error",
  "timestamp",
] as const satisfies readonly (keyof ProgressEvent)[];

export const TERMINAL: ReadonlySet<GenerationStatus> = new Set(["completed", "failed", "cancelled"]);

export function isTerminal(status: string | undefined | null): boolean {
  return status !== undefined && status !== null && TERMINAL.has(status as GenerationStatus);
}

/** Two events describing the same committed state (the snapshot and the event that raced it) share this. */
export function progressStateKey(data: string): string {
  const event = JSON.parse(data) as ProgressEvent;
  return JSON.stringify([event.status, event.progress, event.phase, event.message, event.error]);
}
