/** @atelier/client: the typed client and the React hooks. */
export * from "./auth";
export * from "./client";
export * from "./errors";
export * from "./progress";
export * from "./sse";
export * from "./uploads";
export * from "./hooks/auth";
export * from "./hooks/boards";
export * from "./hooks/context";
export * from "./hooks/discovery";
export * from "./hooks/gallery";
export * from "./hooks/generations";
export * from "./hooks/generators";
export * from "./hooks/social";
export * from "./hooks/uploads";
export type * as Rest from "./generated/openapi";
export type * as Gql from "./generated/graphql";
export type * from "./generated/generators";
