import { Publisher } from '@model-service/messaging';
import { parse, TrainingCommand } from '@model-service/signals';
import { Logger, MetricsRegistry } from '@model-service/util';
import { Inject, Injectable } from '@nestjs/common';

import { MESSAGING_TARGETS, MessagingTargets } from './messaging-targets';

/** Sends TrainingCommands to the trainer's queue, persistent, resolving on the broker's confirm. */
@Injectable()
export class TrainingCommandsSender {
  private readonly log = new Logger('TrainingCommandsSender');
  private readonly sent;

  constructor(
    private readonly publisher: Publisher,
    @Inject(MESSAGING_TARGETS) private readonly targets: MessagingTargets,
    metrics: MetricsRegistry,
  ) {
    this.sent = metrics.counter('training_commands_sent_total', 'Training commands sent to the trainer, by command', ['command']);
  }

  async send(command: TrainingCommand): Promise<TrainingCommand> {
    const checked = parse(TrainingCommand, JSON.parse(JSON.stringify(command)) as unknown);
    await this.publisher.sendToQueue(this.targets.trainingCommands, checked, { traceId: checked.trace_id ?? undefined });
    this.sent.inc({ command: checked.command });
    this.log.info('training command sent', {
      command: checked.command,
      strategy_id: checked.strategy_id,
      queue: this.targets.trainingCommands,
    });
    return checked;
  }
}
