// tfjs-core on its own (no tfjs-node) cannot read `file://` model URLs, and Node's fetch refuses
// them too. This IO router reads a graph model's JSON and weight shards from disk, so the models
// that ship inside @vladmandic/human load offline, and never from a hub.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ModelJson {
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  [key: string]: unknown;
}

/** The slice of tfjs' `io` namespace this needs (human exposes tfjs untyped). */
export interface TfIo {
  registerLoadRouter(router: (url: string | string[]) => { load(): Promise<unknown> } | null): void;
}

async function loadModelArtifacts(jsonPath: string): Promise<unknown> {
  const { weightsManifest, ...model } = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  const dir = dirname(jsonPath);
  const shards = await Promise.all(
    weightsManifest.flatMap((group) => group.paths.map((p) => readFile(join(dir, p)))),
  );
  const weights = Buffer.concat(shards);
  return {
    // Keep `signature` and the rest: without the signature, faceres loses its descriptor output.
    ...model,
    weightSpecs: weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  };
}

export function registerFileModelLoader(io: TfIo): void {
  io.registerLoadRouter((url) => {
    const first = Array.isArray(url) ? url[0] : url;
    if (typeof first !== 'string' || !first.startsWith('file://')) return null;
    const jsonPath = fileURLToPath(first);
    return { load: () => loadModelArtifacts(jsonPath) };
  });
}
