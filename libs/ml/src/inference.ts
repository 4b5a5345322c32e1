/**
 * Inference entry point (`@model-service/ml/inference`): what signal-generator needs to load a stored model
 * version and score feature vectors, without the training code.
 */
export { currentBackend, initTensorflow } from './backend/tensorflow-backend';
export type { InitTensorflowOptions } from './backend/tensorflow-backend';
export type { TensorflowBackend } from './backend/backend-selection';
export { createPredictor, isPredictor, loadPredictor } from './predict/predictor';
export type { FeatureRow, Predictor } from './predict/predictor';
export { ModelLoadError } from './store/model-load-error';
export type { ModelLoadFailure } from './store/model-load-error';
export { readModelVersion } from './store/model-store-reader';
export type { ModelVersionFiles } from './store/model-store-reader';
export type { ExpectedModel, ModelMetadata, StoredNormalization } from './store/model-store.types';
