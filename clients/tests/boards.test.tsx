import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  permissionsFor,
  useBoard,
  useBoardMembers,
  useBoards,
  useCreateBoard,
  useDeleteBoard,
  useGenerators,
  useSearchBoards,
  useUpdateBoard,
  inputSchemaOf,
  defaultInputs,
} from "../src";
import { makeClient, unique, wrapperFor } from "./support";

describe("board hooks against the real server", () => {
  const client = makeClient();
  const wrapper = wrapperFor(client);

  it("create → list → search → open (owner permissions) → update → delete", async () => {
    const title = unique("Hooks board");
    const create = renderHook(() => useCreateBoard(), { wrapper });
    let id = "";
    await act(async () => {
      id = (await create.result.current.mutateAsync({ title, isPublic: false })).id;
    });

    const list = renderHook(() => useBoards({ limit: 200 }), { wrapper });
    await waitFor(() => expect(list.result.current.data?.items.map((b) => b.title)).toContain(title));

    const search = renderHook(() => useSearchBoards(title.split(" ").at(-1)!), { wrapper });
    await waitFor(() => expect(search.result.current.data?.items.map((b) => b.id)).toEqual([id]));

    const board = renderHook(() => useBoard(id), { wrapper });
    await waitFor(() => expect(board.result.current.board?.title).toBe(title));
    expect(board.result.current.permissions).toMatchObject({ role: "owner", canGenerate: true, canDelete: true });
    expect(board.result.current.board?.generationCount).toBe(0);

    const members = renderHook(() => useBoardMembers(id), { wrapper });
    await waitFor(() => expect(members.result.current.isSuccess).toBe(true));
    expect(members.result.current.members).toEqual([]); // the owner is not a member row

    const update = renderHook(() => useUpdateBoard(id), { wrapper });
    await act(async () => {
      await update.result.current.mutateAsync({ title: `${title} (renamed)` });
    });
    await waitFor(() => expect(board.result.current.board?.title).toBe(`${title} (renamed)`));

    const remove = renderHook(() => useDeleteBoard(), { wrapper });
    await act(async () => {
      await remove.result.current.mutateAsync(id);
    });
    await waitFor(() => expect(list.result.current.data?.items.map((b) => b.id)).not.toContain(id));
    const gone = await client.rest.GET("/api/v1/boards/{board_id}", { params: { path: { board_id: id } } });
    expect(gone.response.status).toBe(404);
  });

  it("a problem+json answer becomes an ApiError with the server's code", async () => {
    const create = renderHook(() => useCreateBoard(), { wrapper });
    await act(async () => {
      await expect(create.result.current.mutateAsync({ title: "", isPublic: false })).rejects.toMatchObject({
        status: 400,
        name: "ApiError",
      });
    });
  });

  it("permissions follow ownership and the member role", () => {
    const board = { ownerId: "o", members: [{ userId: "e", role: "EDITOR" }, { userId: "v", role: "VIEWER" }] } as never;
    expect(permissionsFor(board, "o")).toMatchObject({ role: "owner", canDelete: true });
    expect(permissionsFor(board, "e")).toMatchObject({ role: "editor", canGenerate: true, canEdit: false });
    expect(permissionsFor(board, "v")).toMatchObject({ role: "viewer", canGenerate: false });
    expect(permissionsFor(board, "x")).toMatchObject({ role: "public", canView: true, canGenerate: false });
  });

  it("lists generators with their input schemas", async () => {
    const { result } = renderHook(() => useGenerators(), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const image = result.current.generators.find((g) => g.name === "local-image")!;
    expect(image.artifactType).toBe("image");
    const schema = inputSchemaOf(image);
    expect(schema.required).toContain("prompt");
    expect(defaultInputs(schema)).toMatchObject({ size: "square" });
    const images = renderHook(() => useGenerators("image"), { wrapper });
    await waitFor(() => expect(images.result.current.isSuccess).toBe(true));
    expect(images.result.current.generators.every((g) => g.artifactType === "image")).toBe(true);
  });
});
