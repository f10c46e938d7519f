/**
 * Compile-time tests (tsc runs them in `make test`): the generated types reject wrong inputs. Each
 * @ts-expect-error fails the type check if the line below it ever compiles.
 */
import { generationRequest, type GeneratorInputs, type Rest } from "../src";

export const ok = generationRequest({ boardId: "b", generatorName: "local-image", inputParams: { prompt: "fox", size: "small" } });

// @ts-expect-error prompt is a string
generationRequest({ boardId: "b", generatorName: "local-image", inputParams: { prompt: 1 } });

// @ts-expect-error local-image has no such size
generationRequest({ boardId: "b", generatorName: "local-image", inputParams: { prompt: "fox", size: "huge" } });

// @ts-expect-error prompt is required
export const missing: GeneratorInputs["local-text"] = {};

// @ts-expect-error the REST Board has camelCase keys only
export const snake: Rest.components["schemas"]["Board"]["is_public"] = true;
