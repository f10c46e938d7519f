/** Generators with their input JSON Schemas (the form is rendered from them). */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { unwrap } from "../client";
import type { components } from "../generated/openapi";
import { keys, useAtelier } from "./context";

export type GeneratorInfo = components["schemas"]["GeneratorInfo"];
export type GeneratorGroup = components["schemas"]["GeneratorGroup"];

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

/** The catalog as the server groups it: by artifact type, then provider (its order kept), with prices. */
export function useGeneratorGroups(artifactType?: string) {
  const client = useAtelier();
  const query = useQuery({
    queryKey: [...keys.generators(artifactType), "groups"],
    staleTime: 60_000,
    queryFn: () =>
      unwrap(
        client.rest.GET("/api/v1/generators/groups", { params: { query: artifactType ? { artifactType } : {} } }),
      ),
  });
  // Memoised: a new list each render would make effects that depend on it (the form's recall) run again.
  const groups = useMemo(() => query.data ?? [], [query.data]);
  const generators = useMemo(() => groups.flatMap((group) => group.generators), [groups]);
  return { ...query, groups, generators };
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
