/** One error type for REST problem+json and GraphQL errors, so components branch on `code` alone. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(message: string, status: number, code: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  status?: number;
}

/** RFC 9457 body (or anything else) → ApiError. */
export function problemToError(body: unknown, status: number): ApiError {
  const problem = (typeof body === "object" && body !== null ? body : {}) as Problem;
  const message = problem.detail ?? problem.title ?? `HTTP ${status}`;
  return new ApiError(message, status, problem.code ?? `HTTP_${status}`, body);
}
