/** The multipart endpoint (issue 6). */
export const UPLOAD_PATH = "/api/v1/uploads/artifact";

/**
 * Uploads: multipart with progress (POST /api/v1/uploads/artifact), from a URL (GraphQL uploadArtifact) and
 * presigned (straight to storage with a URL the server signed). Each returns the new generation.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import uploadFromUrlDocument from "../graphql/pending/uploadArtifact.graphql?raw";
import type { components } from "../generated/openapi";
import { sendWithProgress, type UploadProgress } from "../uploads";
import { unwrap } from "../client";
import { keys, useAtelier } from "./context";

type ArtifactType = components["schemas"]["ArtifactType"];

export interface UploadArtifactInput {
  boardId: string;
  artifactType: ArtifactType;
  file: Blob;
  fileName?: string;
  userDescription?: string;
  parentGenerationId?: string;
}

export interface UploadedGeneration {
  id: string;
  boardId: string;
  artifactType?: string;
  status?: string;
  storageUrl?: string | null;
}

function useUploadState() {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  return { progress, setProgress };
}

export function useUploadArtifact() {
  const client = useAtelier();
  const queries = useQueryClient();
  const { progress, setProgress } = useUploadState();
  const mutation = useMutation({
    mutationFn: async (input: UploadArtifactInput) => {
      const form = new FormData();
      form.set("board_id", input.boardId);
      form.set("artifact_type", input.artifactType);
      form.set("file", input.file, input.fileName ?? (input.file as File).name ?? "upload");
      if (input.userDescription) form.set("user_description", input.userDescription);
      if (input.parentGenerationId) form.set("parent_generation_id", input.parentGenerationId);
      setProgress({ loaded: 0, total: input.file.size, fraction: 0 });
      const url = client.url(UPLOAD_PATH);
      return (await sendWithProgress(client, { method: "POST", url, body: form, onProgress: setProgress })) as UploadedGeneration;
    },
    onSuccess: (generation) => queries.invalidateQueries({ queryKey: keys.boardGenerations(generation.boardId) }),
  });
  return { ...mutation, progress };
}

export interface UploadFromUrlInput {
  boardId: string;
  artifactType: ArtifactType;
  fileUrl: string;
  originalFilename?: string;
  userDescription?: string;
  parentGenerationId?: string;
}

export function useUploadFromUrl() {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (input: UploadFromUrlInput) => {
      const variables = { input: { ...input, artifactType: input.artifactType.toUpperCase() } };
      const data = await client.graphqlRaw<{ uploadArtifact: UploadedGeneration }>(uploadFromUrlDocument, variables);
      return data.uploadArtifact;
    },
    onSuccess: (generation) => queries.invalidateQueries({ queryKey: keys.boardGenerations(generation.boardId) }),
  });
}

/** Where the server said to send the bytes: PUT to `url`, or POST a form with `fields` (S3 presigned POST). */
export interface PresignedTarget {
  url: string;
  method: "PUT" | "POST";
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * Presigned upload: `presign` asks the server for a target, the bytes go straight to storage with progress,
 * then `complete` tells the server (which creates the generation). Both calls are the caller's, so this
 * works with whichever presign endpoint the server's storage offers.
 */
export function usePresignedUpload<T>(
  presign: (file: Blob) => Promise<PresignedTarget>,
  complete: (target: PresignedTarget, file: Blob) => Promise<T>,
) {
  const { progress, setProgress } = useUploadState();
  const mutation = useMutation({
    mutationFn: async (file: Blob) => {
      const target = await presign(file);
      let body: FormData | Blob = file;
      if (target.method === "POST") {
        const form = new FormData();
        for (const [name, value] of Object.entries(target.fields ?? {})) form.set(name, value);
        form.set("file", file);
        body = form;
      }
      await sendRaw(target, body, setProgress);
      return complete(target, file);
    },
  });
  return { ...mutation, progress };
}

async function sendRaw(target: PresignedTarget, body: FormData | Blob, onProgress: (p: UploadProgress) => void) {
  if (typeof XMLHttpRequest === "undefined") {
    const response = await fetch(target.url, { method: target.method, body, headers: target.headers });
    if (!response.ok) throw new Error(`presigned upload: HTTP ${response.status}`);
    onProgress({ loaded: 1, total: 1, fraction: 1 });
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(target.method, target.url);
    for (const [name, value] of Object.entries(target.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) =>
      onProgress({ loaded: e.loaded, total: e.total, fraction: e.lengthComputable ? e.loaded / e.total : 0 });
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new Error(`presigned upload: HTTP ${xhr.status}`)));
    xhr.onerror = () => reject(new Error("presigned upload failed (network)"));
    xhr.send(body);
  });
}

export interface DirectUploadInput {
  boardId: string;
  file: Blob;
  fileName?: string;
  /** Derived by the server from the content type when left out. */
  artifactType?: ArtifactType;
}

/**
 * Presigned direct upload through the server's own endpoints: CreateDirectUpload reserves a key and says where
 * to send the bytes (a presigned S3 PUT, or the server's signed PUT for local storage), the bytes go there
 * with progress, and ConfirmDirectUpload turns them into a completed generation.
 */
export function useDirectUpload() {
  const client = useAtelier();
  const queries = useQueryClient();
  const { progress, setProgress } = useUploadState();
  const mutation = useMutation({
    mutationFn: async (input: DirectUploadInput) => {
      const target = await unwrap(
        client.rest.POST("/api/v1/direct-uploads", {
          body: {
            boardId: input.boardId,
            filename: input.fileName ?? (input.file as File).name ?? "upload",
            contentType: input.file.type || "application/octet-stream",
            sizeBytes: input.file.size,
            artifactType: input.artifactType,
          },
        }),
      );
      const headers = Object.fromEntries(Object.entries(target.headers).map(([k, v]) => [k, String(v)]));
      const method = target.method === "POST" ? "POST" : "PUT";
      await sendRaw({ url: client.url(target.uploadUrl), method, headers }, input.file, setProgress);
      return unwrap(
        client.rest.POST("/api/v1/direct-uploads/{upload_id}/confirm", { params: { path: { upload_id: target.id } } }),
      );
    },
    onSuccess: (generation) => queries.invalidateQueries({ queryKey: keys.boardGenerations(generation.boardId) }),
  });
  return { ...mutation, progress };
}
