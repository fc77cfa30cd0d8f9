/**
 * A batch of images in one flat buffer, float32 channels-last (NHWC), scaled to [0, 1] per
 * object: what the store reads out and the model takes. Its own module so that the store
 * and the learning code both use it without either importing the other.
 */
export interface ImageBatch {
  data: Float32Array;
  count: number;
  size: number;
  bands: number;
}
