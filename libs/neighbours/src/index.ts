export { splitPair } from './asset-pair';
export type { AssetPair } from './asset-pair';
export { MalformedPositionAnswerError, parsePositionAnswer, positionOfStrategy } from './position-answer';
export type { ManagedPosition, PositionAnswer } from './position-answer';
export { PositionManagerClient, PositionManagerUnavailableError } from './position-manager.client';
export type { PositionManagerClientOptions, UnavailableKind } from './position-manager.client';
