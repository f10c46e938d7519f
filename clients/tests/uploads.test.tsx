import { act, renderHook } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ApiError,
  UPLOAD_PATH,
  unwrap,
  useDirectUpload,
  useUploadArtifact,
  useUploadFromUrl,
  type UploadProgress,
} from "../src";
import { makeClient, SERVER, unique, wrapperFor } from "./support";

// Uploads arrive with issue 6: these run once the server has its multipart endpoint.
const probe = SERVER ? await fetch(`${SERVER}${UPLOAD_PATH}`, { method: "POST" }) : null;
const hasUploads = probe !== null && probe.status !== 404 && probe.status !== 405;

describe.skipIf(!hasUploads)("upload hooks against the real server", () => {
  const client = makeClient();
  const wrapper = wrapperFor(client);
  let boardId = "";
  beforeAll(async () => {
    boardId = (await unwrap(client.rest.POST("/api/v1/boards", { body: { title: unique("Uploads"), isPublic: false } }))).id;
  });

  it("uploads a file as multipart with progress and gets a generation back", async () => {
    const seen: UploadProgress[] = [];
    const upload = renderHook(
      () => {
        const hook = useUploadArtifact();
        if (hook.progress) seen.push(hook.progress);
        return hook;
      },
      { wrapper },
    );
    const text = "a note\n".repeat(20_000);
    let generation: Awaited<ReturnType<typeof upload.result.current.mutateAsync>> | null = null;
    await act(async () => {
      generation = await upload.result.current.mutateAsync({
        boardId,
        artifactType: "text",
        file: new File([text], "notes.txt", { type: "text/plain" }),
        userDescription: "from the hooks test",
      });
    });
    expect(generation).toMatchObject({ boardId, status: "completed" });
    expect(seen[0]?.fraction).toBe(0);
    expect(seen.at(-1)?.fraction).toBe(1);
    const stored = await fetch(client.url((generation as unknown as { storageUrl: string }).storageUrl));
    expect(await stored.text()).toBe(text);
  });

  it("upload from a URL sends a document the server's schema accepts (a loopback URL is refused)", async () => {
    const fromUrl = renderHook(() => useUploadFromUrl(), { wrapper });
    await act(async () => {
      const error = await fromUrl.result.current
        .mutateAsync({ boardId, artifactType: "image", fileUrl: "http://127.0.0.1:9/x.png" })
        .then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).message).toMatch(/private|loopback/); // the resolver ran: the document was valid
    });
  });

  it("uploads straight to storage (presigned direct upload), then confirms it into a generation", async () => {
    const direct = renderHook(() => useDirectUpload(), { wrapper });
    const text = "straight to storage\n".repeat(5_000);
    let generation: Awaited<ReturnType<typeof direct.result.current.mutateAsync>> | null = null;
    await act(async () => {
      generation = await direct.result.current.mutateAsync({
        boardId,
        file: new File([text], "direct.txt", { type: "text/plain" }),
      });
    });
    expect(generation).toMatchObject({ boardId, status: "completed", artifactType: "text" });
    expect(direct.result.current.progress?.fraction).toBe(1);
    const stored = await fetch(client.url((generation as unknown as { storageUrl: string }).storageUrl));
    expect(await stored.text()).toBe(text);
  });
});
