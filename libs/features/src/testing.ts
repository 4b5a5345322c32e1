// Test helpers for code that uses @model-service/features.
export { naiveIndicators } from './indicators/indicator-reference';
export { randomSnapshot, seededRandom } from './testing/random-snapshot';
