import { randomUUID } from 'node:crypto';

import { ExecutionEventRepository, RecordConflictError, TrainingRunRepository, TrainingRunStatus } from '@model-service/repositories';
import { TrainingCommand, TrainingCommandType } from '@model-service/signals';
import { Clock, CLOCK, currentTraceId } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { iso } from '../common/iso';
import { PageDto } from '../common/pagination.query';
import { ApiGatewayEnv } from '../config/api-gateway.env';
import { MESSAGING_TARGETS, MessagingTargets } from '../events/messaging-targets';
import { TrainingCommandsSender } from '../events/training-commands.sender';
import { nextScheduledRun } from './next-schedule';
import { CommandAcceptedDto, TrainingStatusDto } from './training-status.dto';
import { ListTrainingRunsQuery } from './training-requests.dto';
import { presentTrainingRun, TrainingRunDto } from './training-run.dto';

@Injectable()
export class TrainingService {
  constructor(
    private readonly runs: TrainingRunRepository,
    private readonly executions: ExecutionEventRepository,
    private readonly commands: TrainingCommandsSender,
    private readonly config: ApiGatewayEnv,
    @Inject(MESSAGING_TARGETS) private readonly targets: MessagingTargets,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async status(strategyId?: string): Promise<TrainingStatusDto> {
    const now = this.clock.now();
    const [active, last, lastGood] = await Promise.all([
      this.runs.running(strategyId),
      this.runs.lastFinished(strategyId),
      this.runs.lastFinished(strategyId, ['succeeded']),
    ]);
    const current = active.find((r) => r.status === 'running') ?? active[0] ?? null;
    const since = lastGood ? (lastGood.startedAt ?? lastGood.queuedAt) : null;
    const buffered = await this.executions.countSince(strategyId ?? null, since ?? new Date(0));
    return {
      strategy_id: strategyId ?? null,
      is_training: active.length > 0,
      current_training: current ? presentTrainingRun(current, now) : null,
      active_runs: active.length,
      last_training: last ? presentTrainingRun(last, now) : null,
      next_scheduled_training: iso(nextScheduledRun(this.config.MODEL_RETRAINING_SCHEDULE, now)),
      buffered_events_count: buffered,
      buffered_events_since: iso(since),
    };
  }

  trigger(strategyId: string, reason: string | undefined, requestedBy: string): Promise<CommandAcceptedDto> {
    return this.send(TrainingCommandType.TRAIN, strategyId, reason ?? 'manual trigger through the ops API', requestedBy);
  }

  cancel(strategyId: string, reason: string | undefined, requestedBy: string): Promise<CommandAcceptedDto> {
    return this.send(TrainingCommandType.CANCEL, strategyId, reason ?? 'cancelled through the ops API', requestedBy);
  }

  /** Cancels the strategy's training through one of its unfinished runs; 409 when that run already ended. */
  async cancelRun(id: string, reason: string | undefined, requestedBy: string): Promise<CommandAcceptedDto> {
    const run = await this.runs.getOrThrow(id);
    const unfinished: TrainingRunStatus[] = ['queued', 'running'];
    if (!unfinished.includes(run.status)) {
      throw new RecordConflictError(`training run ${id} is ${run.status}; only a queued or running run can be cancelled`);
    }
    return this.cancel(run.strategyId, reason ?? `cancel of training run ${id} through the ops API`, requestedBy);
  }

  async list(q: ListTrainingRunsQuery): Promise<PageDto<TrainingRunDto>> {
    const now = this.clock.now();
    const page = await this.runs.list({ strategyId: q.strategy_id, status: q.status, trigger: q.trigger }, q.limit, q.offset);
    return { ...page, items: page.items.map((r) => presentTrainingRun(r, now)) };
  }

  async get(id: string): Promise<TrainingRunDto> {
    return presentTrainingRun(await this.runs.getOrThrow(id), this.clock.now());
  }

  private async send(
    command: TrainingCommandType,
    strategyId: string,
    reason: string,
    requestedBy: string,
  ): Promise<CommandAcceptedDto> {
    const active = await this.runs.running(strategyId);
    const sent: TrainingCommand = await this.commands.send({
      command,
      strategy_id: strategyId,
      reason,
      requested_by: requestedBy,
      timestamp: new Date(this.clock.now()).toISOString(),
      trace_id: currentTraceId() ?? null,
      command_id: randomUUID(),
    });
    return { status: 'accepted', queue: this.targets.trainingCommands, command: sent, active_runs: active.length };
  }
}
