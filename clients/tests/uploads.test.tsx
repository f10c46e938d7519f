import { act, renderHook } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { unwrap, useUploadArtifact, type UploadProgress } from "../src";
import { makeClient, SERVER, unique, wrapperFor } from "./support";

// Uploads arrive with issue 6: these run once the server has POST /api/uploads/artifact.
const probe = SERVER ? await fetch(`${SERVER}/api/uploads/artifact`, { method: "POST" }) : null;
const hasUploads = probe !== null && probe.status !== 404 && probe.status !== 405;

describe.skipIf(!hasUploads)("upload hooks against the real server", () => {
  const client = makeClient();
  const wrapper = wrapperFor(client);
  let boardId = "";
  beforeAll(async () => {
    boardId = (await unwrap(client.rest.POST("/api/v1/boards", { body: { title: unique("Uploads"), isPublic: false } }))).id;
  });

  it("uploads a file as multipart with progress and gets a generation back", async () => {
    const upload = renderHook(() => useUploadArtifact(), { wrapper });
    const seen: UploadProgress[] = [];
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    await act(async () => {
      const generation = await upload.result.current.mutateAsync({
        boardId,
        artifactType: "text",
        file: new File([bytes], "notes.txt", { type: "text/plain" }),
        userDescription: "from the hooks test",
      });
      expect(generation.boardId).toBe(boardId);
    });
    seen.push(upload.result.current.progress!);
    expect(seen.at(-1)?.fraction).toBe(1);
  });
});
