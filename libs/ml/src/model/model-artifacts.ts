import * as tf from '@tensorflow/tfjs';

/**
 * A trained model as plain data: topology JSON, weight specs and ONE ArrayBuffer of weights.
 * Structured-clonable, and `weightData` is transferable, so it crosses worker threads without a copy.
 */
export interface ModelArtifactsData {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** Serialises a model through an in-memory IOHandler (no file system, works on every backend). */
export async function modelToArtifacts(model: tf.LayersModel): Promise<ModelArtifactsData> {
  let captured: ModelArtifactsData | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
        throw new Error('model.save produced no topology or weights');
      }
      captured = {
        modelTopology: artifacts.modelTopology as object,
        weightSpecs: artifacts.weightSpecs,
        weightData: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!captured) throw new Error('model.save did not call the save handler');
  return captured;
}

/** Rebuilds a LayersModel from artifacts (the backend must be initialised). */
export function modelFromArtifacts(artifacts: ModelArtifactsData): Promise<tf.LayersModel> {
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs,
      weightData: artifacts.weightData,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
    }),
  );
}

export function isLayersModel(value: unknown): value is tf.LayersModel {
  return value instanceof tf.LayersModel;
}
