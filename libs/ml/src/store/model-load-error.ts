export type ModelLoadFailure =
  | 'missing_file' // the version directory or one of its files does not exist
  | 'corrupt' // unreadable JSON, inconsistent files, weights of the wrong size
  | 'checksum_mismatch' // a file's bytes differ from the checksum recorded at save time
  | 'feature_set_mismatch' // saved for another feature-set version or feature order
  | 'invalid_model'; // TensorFlow.js could not rebuild the model

/** The model store refused a version; `reason` is machine-readable, the message names the file and values. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';

  constructor(
    readonly reason: ModelLoadFailure,
    readonly dir: string,
    detail: string,
  ) {
    super(`cannot load model from ${dir}: ${reason}: ${detail}`);
  }
}
