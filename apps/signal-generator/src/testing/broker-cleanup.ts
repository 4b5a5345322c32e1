import { deleteExchanges, deleteQueues } from '@model-service/messaging/testing';

import { QueueNames } from '../config/queue-names';

/** Deletes every queue and exchange a test run of the app with these names may have created. */
export async function deleteAppTopology(url: string, names: QueueNames): Promise<void> {
  const queues = [names.ticker, names.orderbook, names.kline, names.tradingSignals, names.marketDataReplicaQueue];
  await deleteQueues(url, [...queues, ...queues.map((q) => `${q}.dlq`)]);
  await deleteExchanges(url, [names.marketDataExchange]);
}
