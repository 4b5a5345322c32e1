import { ConsumerHost } from '@model-service/messaging';
import { currentBackend } from '@model-service/ml/inference';
import { ModelVersionEntity, ModelVersionRepository } from '@model-service/repositories';
import { ModelEvent, Topology } from '@model-service/signals';
import { HealthRegistry, Logger } from '@model-service/util';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

import { QUEUE_NAMES } from '../app.tokens';
import { SignalGeneratorEnv } from '../config/signal-generator.env';
import { PositionRiskReader } from '../risk/position-risk.reader';
import { SignalGeneratorService } from '../runner/signal-generator.service';
import { SignalMetrics } from '../runner/signal-metrics';
import { InferenceRecord, ModelDecisionSource } from './model-decision-source';
import { ActiveVersionRef, loadModel, ModelRefusedError } from './model-loader';

interface Refusal {
  version: string;
  reason: string;
  detail: string;
  at: number;
}

interface StrategyModelState {
  /** The model the strategy decides with (null: warm-up or idle). */
  serving: ModelDecisionSource | null;
  /** What model_versions last said is active (undefined: not read yet). */
  active: string | null | undefined;
  refused: Refusal | null;
  /** Changes of one strategy run one after another (events, the periodic check, start-up). */
  chain: Promise<void>;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function refOf(row: ModelVersionEntity): ActiveVersionRef {
  return { version: row.version, strategyId: row.strategyId, featureSetVersion: row.featureSetVersion, checksum: row.checksum, filePath: row.filePath };
}

/**
 * Keeps every strategy on its active model: loads the active version of each at start-up, follows model
 * events (a private queue on the model-events fanout exchange, so every replica sees every event) and
 * re-reads model_versions every MODEL_SYNC_INTERVAL_SECONDS as a safety net. model_versions is the truth;
 * an event only says when to look (or, while the database is down, what to load). A new version is loaded
 * and verified before it replaces the old one in the strategy's runner (a hot swap: the timers and the
 * decision under way are not touched, so the signal stream has neither a gap nor a duplicate). A version
 * that cannot be loaded is refused with a clear log and the strategy stays as it is — unless the model it
 * uses was rolled back or archived, which sends it to warm-up; no active model sends it to warm-up too.
 */
@Injectable()
export class ModelManager implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly states = new Map<string, StrategyModelState>();
  private readonly taps = new Set<(record: InferenceRecord) => void>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private dbWarned = false;
  private readonly log = new Logger('ModelManager');

  constructor(
    private readonly config: SignalGeneratorEnv,
    @Inject(QUEUE_NAMES) private readonly names: Topology,
    private readonly versions: ModelVersionRepository,
    private readonly generator: SignalGeneratorService,
    private readonly risk: PositionRiskReader,
    private readonly consumers: ConsumerHost,
    private readonly metrics: SignalMetrics,
    health: HealthRegistry,
  ) {
    for (const runner of generator.allRunners()) this.states.set(runner.strategy.id, { serving: null, active: undefined, refused: null, chain: Promise.resolve() });
    health.registerInfo('models', () => this.status());
  }

  async onModuleInit(): Promise<void> {
    // Subscribed before the first read, so an activation between the two is not missed.
    await this.consumers.consume<ModelEvent>({
      queue: this.names.modelEventsReplicaQueue,
      fanoutExchange: this.names.modelEventsExchange,
      schema: ModelEvent,
      ordered: true,
      prefetch: 10,
      maxRetries: 2,
      handler: (event) => this.onEvent(event),
    });
    await this.checkAll('start-up: active model in model_versions');
    this.timer = setInterval(() => void this.checkAll('periodic check of model_versions'), this.config.MODEL_SYNC_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.consumers.stop();
    await Promise.allSettled([...this.states.values()].map((s) => s.chain));
  }

  onApplicationShutdown(): void {
    for (const state of this.states.values()) {
      state.serving?.retire();
      state.serving = null;
    }
  }

  /** Observes every model inference (the bench and the parity test read the feature vectors here). */
  onInference(tap: (record: InferenceRecord) => void): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  /** The version a strategy decides with, or null. */
  servingVersion(strategyId: string): string | null {
    return this.states.get(strategyId)?.serving?.modelVersion ?? null;
  }

  async onEvent(event: ModelEvent): Promise<void> {
    const id = event.strategy_id;
    if (event.event_type === 'model_trained' || !this.states.has(id)) return;
    this.log.info('model event received', { event_type: event.event_type, strategy_id: id, version: event.version, previous_version: event.previous_version ?? null });
    await this.enqueue(id, () => this.sync(id, `${event.event_type} event`, event));
  }

  /** Reads every active version and brings each strategy whose model differs in line. */
  async checkAll(reason: string): Promise<void> {
    if (this.stopped) return;
    let rows: ModelVersionEntity[];
    try {
      rows = await this.versions.listActive();
    } catch (err) {
      if (!this.dbWarned) this.log.warn('cannot read model_versions; models stay as they are until it can be read', { error: errorText(err) });
      this.dbWarned = true;
      return;
    }
    this.dbWarned = false;
    const active = new Map(rows.map((r) => [r.strategyId, r.version]));
    const jobs: Promise<void>[] = [];
    for (const [id, state] of this.states) {
      const want = active.get(id) ?? null;
      state.active = want;
      if (want !== (state.serving?.modelVersion ?? null)) jobs.push(this.enqueue(id, () => this.sync(id, reason)));
    }
    await Promise.all(jobs);
  }

  status(): Record<string, unknown> {
    const strategies: Record<string, unknown> = {};
    for (const [id, s] of this.states) {
      strategies[id] = {
        mode: this.generator.runner(id)?.mode,
        model_version: s.serving?.modelVersion ?? null,
        active_version: s.active ?? null,
        loaded_at: s.serving ? new Date(s.serving.model.loadedAt).toISOString() : null,
        refused: s.refused ? { ...s.refused, at: new Date(s.refused.at).toISOString() } : null,
      };
    }
    return {
      backend: currentBackend(),
      storage_path: this.config.MODEL_STORAGE_PATH,
      min_confidence: this.config.MODEL_SIGNAL_MIN_CONFIDENCE,
      events_exchange: this.names.modelEventsExchange,
      strategies,
    };
  }

  private enqueue(id: string, job: () => Promise<void>): Promise<void> {
    const state = this.states.get(id) as StrategyModelState;
    state.chain = state.chain.then(job).catch((err: unknown) => this.log.error('model sync failed', { strategy_id: id, error: err instanceof Error ? err : String(err) }));
    return state.chain;
  }

  private async sync(id: string, reason: string, event?: ModelEvent): Promise<void> {
    if (this.stopped) return;
    let ref: ActiveVersionRef | null;
    try {
      const row = await this.versions.getActive(id);
      ref = row ? refOf(row) : null;
    } catch (err) {
      if (!event) {
        this.log.warn('cannot read the active model version; the strategy stays as it is', { strategy_id: id, error: errorText(err) });
        return;
      }
      const version = event.event_type === 'model_deactivated' ? null : event.version;
      if (version && !event.checksum) {
        // Without model_versions and without the event's own checksum nothing ties the files to what was
        // activated: a file swapped in the store would be served. Not followed; the periodic check applies
        // the database's answer once it is readable again.
        await this.refuse(id, { version, strategyId: id, featureSetVersion: null, checksum: null, filePath: null }, new ModelRefusedError('unverifiable_event', version, 'model_versions is unreadable and the event carries no checksum'), reason);
        return;
      }
      // File paths never come from an event: the version's directory in this service's model store is used.
      ref = version ? { version, strategyId: id, featureSetVersion: null, checksum: event.checksum ?? null, filePath: null } : null;
      this.log.warn('model_versions unreadable: following the model event alone (files verified against the event\'s checksum)', { strategy_id: id, version, error: errorText(err) });
    }
    await this.apply(id, ref, reason);
  }

  private async apply(id: string, ref: ActiveVersionRef | null, reason: string): Promise<void> {
    const state = this.states.get(id) as StrategyModelState;
    const runner = this.generator.runner(id);
    if (!runner) return;
    state.active = ref?.version ?? null;
    const serving = state.serving;
    if (!ref) {
      state.refused = null;
      if (serving) this.toWarmup(id, `${reason}: no active model for the strategy any more (was ${serving.modelVersion})`);
      return;
    }
    if (serving?.modelVersion === ref.version) {
      state.refused = null;
      return;
    }
    let source: ModelDecisionSource;
    try {
      const model = await loadModel(ref, this.config.MODEL_STORAGE_PATH);
      source = new ModelDecisionSource(model, runner.strategy, {
        position: (strategyId, asset, account, price) => this.risk.read(strategyId, asset, account, price),
        minConfidence: this.config.MODEL_SIGNAL_MIN_CONFIDENCE,
        takeProfitPct: this.config.MODEL_SERVICE_TAKE_PROFIT_PCT,
        inferred: (record) => this.inferred(record),
        failed: (err) => this.log.error('model inference failed', { strategy_id: id, version: ref.version, error: errorText(err) }),
      });
    } catch (err) {
      await this.refuse(id, ref, err, reason);
      return;
    }
    if (this.stopped) {
      source.retire();
      return;
    }
    state.serving = source;
    state.refused = null;
    this.generator.setDecisionSource(id, source, `${reason}: model ${ref.version} loaded and verified${serving ? ` (replaces ${serving.modelVersion})` : ''}`);
    serving?.retire();
    this.metrics.modelLoaded(id, 'loaded');
    this.metrics.modelSwitched(id, 'model');
  }

  private async refuse(id: string, ref: ActiveVersionRef, err: unknown, reason: string): Promise<void> {
    const state = this.states.get(id) as StrategyModelState;
    const refusal = err instanceof ModelRefusedError ? err : new ModelRefusedError('load_failed', ref.version, errorText(err));
    const repeated = state.refused?.version === ref.version && state.refused.reason === refusal.reason;
    state.refused = { version: ref.version, reason: refusal.reason, detail: refusal.message, at: Date.now() };
    const serving = state.serving;
    if (!repeated) {
      this.metrics.modelLoaded(id, 'refused', refusal.reason);
      this.log.error('model version refused; the strategy keeps its current mode', {
        strategy_id: id,
        version: ref.version,
        reason: refusal.reason,
        detail: refusal.message,
        trigger: reason,
        mode: this.generator.runner(id)?.mode,
        model_version: serving?.modelVersion ?? null,
      });
    }
    if (!serving) return;
    // A superseded model keeps serving only while it is still a good one: not rolled back (rejected) or archived.
    let row: ModelVersionEntity | null | undefined;
    try {
      row = await this.versions.findByVersion(serving.modelVersion);
    } catch {
      row = undefined; // unknown: keep it
    }
    if (row === null || row?.status === 'rejected' || row?.status === 'archived') {
      this.toWarmup(id, `${reason}: model ${ref.version} cannot be loaded (${refusal.reason}) and ${serving.modelVersion} is ${row?.status ?? 'gone'}`);
    }
  }

  private toWarmup(id: string, reason: string): void {
    const state = this.states.get(id) as StrategyModelState;
    const serving = state.serving;
    state.serving = null;
    this.generator.useWarmup(id, reason);
    serving?.retire();
    this.metrics.modelSwitched(id, 'warmup');
  }

  private inferred(record: InferenceRecord): void {
    this.metrics.inference(record.seconds);
    for (const tap of this.taps) tap(record);
  }
}
