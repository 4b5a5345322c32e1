/**
 * Secondary entry point with no dependencies: the training worker thread imports seededRandom from here, so it
 * does not load the whole util lib (NestJS controllers, winston, prom-client) before it can start training.
 */
export { seededRandom } from './random/seeded-random';
