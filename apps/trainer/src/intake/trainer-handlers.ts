import { ConsumerHost, MessageContext } from '@model-service/messaging';
import { CommandClaimRepository } from '@model-service/repositories';
import { OrderExecutionEvent, topology, TrainingCommand, TrainingCommandType } from '@model-service/signals';
import { Logger } from '@model-service/util';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';

import { TrainerEnv } from '../config/trainer.env';
import { TrainingOrchestrator } from '../training/training-orchestrator';
import { ExecutionIntake } from './execution-intake.service';

/**
 * The trainer's two handlers, consumed by the app's ConsumerHost:
 * - order events (competing consumers, idempotent by event_id): validated by the messaging layer (invalid →
 *   `<queue>.dlq` with the body and trace id logged), then batched into execution_events; acked after commit;
 * - training commands (in order): train → a manual run (cancelling a running one), cancel → cancel. A command
 *   with a command_id takes effect once across every replica and redelivery (claimed in command_claims).
 */
@Injectable()
export class TrainerHandlers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('TrainerHandlers');

  constructor(
    private readonly env: TrainerEnv,
    private readonly intake: ExecutionIntake,
    private readonly orchestrator: TrainingOrchestrator,
    private readonly claims: CommandClaimRepository,
    private readonly consumers: ConsumerHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const names = topology(this.env.QUEUE_PREFIX);
    await this.consumers.consume<OrderExecutionEvent>({
      queue: names.orderEvents,
      schema: OrderExecutionEvent,
      prefetch: this.env.TRAINER_INTAKE_PREFETCH,
      handler: (event) => this.intake.accept(event),
    });
    await this.consumers.consume<TrainingCommand>({
      queue: names.trainingCommands,
      schema: TrainingCommand,
      ordered: true,
      prefetch: 10,
      handler: (command, ctx) => this.onCommand(command, ctx),
    });
    this.log.info('consuming', { order_events: names.orderEvents, training_commands: names.trainingCommands });
  }

  /** Consuming stops (messages in flight finish), then the intake buffer is written, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers.stop();
    await this.intake.close();
  }

  private async onCommand(command: TrainingCommand, ctx: MessageContext): Promise<void> {
    const traceId = command.trace_id ?? ctx.traceId;
    this.log.info('training command received', {
      command: command.command,
      strategy_id: command.strategy_id,
      requested_by: command.requested_by,
      reason: command.reason,
      command_id: command.command_id,
      trace_id: traceId,
    });
    if (command.command_id && !(await this.claims.claim(`command:${command.command_id}`, `${hostname()}:${process.pid}`))) {
      this.log.info('training command already handled; acknowledged without effect', { command_id: command.command_id, strategy_id: command.strategy_id, trace_id: traceId });
      return;
    }
    if (command.command === TrainingCommandType.CANCEL) {
      const cancelled = await this.orchestrator.cancel(command.strategy_id, `cancelled by command${command.requested_by ? ` from ${command.requested_by}` : ''}${command.reason ? `: ${command.reason}` : ''}`);
      if (!cancelled) this.log.info('nothing to cancel', { strategy_id: command.strategy_id, trace_id: traceId });
      return;
    }
    await this.orchestrator.trigger({ strategyId: command.strategy_id, trigger: 'manual', mode: 'full', reason: command.reason ?? null, traceId });
  }
}
