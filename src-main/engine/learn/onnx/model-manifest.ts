/**
 * ahunt-model.json: what a model folder needs beyond the network itself to score new images —
 * the class names in softmax order, the interest weights and how input pixels were normalised.
 */
import { z } from 'zod';
import type { InterestWeights } from '../types';

export const AHUNT_MANIFEST_FILE = 'ahunt-model.json';
export const AHUNT_MANIFEST_FORMAT = 'ahunt-model';
export const AHUNT_MANIFEST_VERSION = 1;

/** A file inside the model folder: a bare name, so a manifest cannot point outside it. */
const fileName = z.string().regex(/^[^/\\]+$/, 'must be a plain file name');

const jsonScalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const normalisationSchema = z.object({
  /** e.g. 'minmax-per-object' — images are scaled to [0, 1] per object (types.ts). */
  method: z.string().min(1),
  /** Method parameters (percentiles, stretch, …). */
  params: z.record(z.string(), jsonScalar).optional(),
});

export type InputNormalisation = z.infer<typeof normalisationSchema>;

/** What the caller passes to exportModelFolder and gets back from loadModelFolder. */
export interface AhuntModelMeta {
  /** Class names, index = softmax output. */
  classes: ReadonlyArray<string>;
  /** Index of the reserve ("unknown") class. */
  reserve: number;
  interest: InterestWeights;
  normalisation: InputNormalisation;
}

export const manifestSchema = z.object({
  format: z.literal(AHUNT_MANIFEST_FORMAT),
  version: z.number().int().positive(),
  savedAt: z.string(),
  input: z.object({
    size: z.number().int().positive(),
    bands: z.number().int().positive(),
    layout: z.literal('NHWC'),
    dtype: z.literal('float32'),
    normalisation: normalisationSchema,
  }),
  classes: z.array(z.string()).min(1),
  reserve: z.number().int().nonnegative(),
  interest: z.array(z.number().finite().nonnegative()),
  latentSize: z.number().int().positive(),
  /** The buildModel spec, when the model came from buildModel; lets import rebuild it as one. */
  spec: z
    .object({
      size: z.number().int().positive(),
      bands: z.number().int().positive(),
      classes: z.number().int().positive(),
      extraBlocks: z.number().int().nonnegative(),
      latent: z.number().int().positive(),
      seed: z.number().int(),
    })
    .optional(),
  files: z.object({ tfjs: fileName, onnx: fileName }),
});

export type AhuntModelManifest = z.infer<typeof manifestSchema>;

/** Checks the meta against itself and the network's class count; returns what is wrong, if anything. */
export function metaProblem(meta: AhuntModelMeta, classCount: number): string | null {
  if (meta.classes.length !== classCount) {
    return `it names ${meta.classes.length} classes but the network has ${classCount} outputs`;
  }
  if (meta.interest.length !== classCount) {
    return `it has ${meta.interest.length} interest weights for ${classCount} classes`;
  }
  if (meta.interest.some((w) => !Number.isFinite(w) || w < 0)) {
    return 'its interest weights must be finite and ≥ 0';
  }
  if (!Number.isInteger(meta.reserve) || meta.reserve < 0 || meta.reserve >= classCount) {
    return `its reserve class index ${meta.reserve} is not one of the ${classCount} classes`;
  }
  return null;
}
