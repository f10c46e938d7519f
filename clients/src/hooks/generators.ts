/** Generators with their input JSON Schemas (the form is rendered from them). */
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../client";
import type { components } from "../generated/openapi";
import { keys, useAtelier } from "./context";

export type GeneratorInfo = components["schemas"]["GeneratorInfo"];

/** The subset of JSON Schema the generators' Pydantic models produce (what the form renders). */
export interface InputSchema {
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

export interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  anyOf?: FieldSchema[];
  "x-artifact-type"?: string;
  [extension: string]: unknown;
}

export function useGenerators(artifactType?: string) {
  const client = useAtelier();
  const query = useQuery({
    queryKey: keys.generators(artifactType),
    staleTime: 60_000,
    queryFn: () =>
      unwrap(client.rest.GET("/api/v1/generators", { params: { query: artifactType ? { artifactType } : {} } })),
  });
  return { ...query, generators: query.data ?? [] };
}

export function inputSchemaOf(generator: GeneratorInfo): InputSchema {
  return generator.inputSchema as InputSchema;
}

/** Defaults from the schema, for a new form. */
export function defaultInputs(schema: InputSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (field.default !== undefined && field.default !== null) out[name] = field.default;
  }
  return out;
}

/** What running a generator with these inputs would cost (credits), before running it. */
export function useEstimateCost(
  generatorName: string | null | undefined,
  inputParams: Record<string, unknown>,
  options: { enabled?: boolean } = {},
) {
  const client = useAtelier();
  return useQuery({
    queryKey: keys.estimate(generatorName ?? "", inputParams),
    enabled: Boolean(generatorName) && options.enabled !== false,
    retry: false,
    staleTime: 60_000,
    queryFn: () =>
      unwrap(
        client.rest.POST("/api/v1/generators/{name}/estimate", {
          params: { path: { name: generatorName! } },
          body: { inputParams },
        }),
      ),
  });
}
