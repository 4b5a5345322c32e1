import { signalRouteOf } from '@model-service/messaging';
import { deleteExchanges, deleteQueues } from '@model-service/messaging/testing';
import { Topology } from '@model-service/signals';


/**
 * Deletes every queue and exchange a test run of the app with these names may have created. Exchanges
 * whose names do not start with `ownedPrefix` (a shared exchange bound through an override) are kept.
 */
export async function deleteAppTopology(url: string, names: Topology, ownedPrefix?: string): Promise<void> {
  const queues = [
    names.ticker,
    names.orderbook,
    names.kline,
    names.tradingSignals,
    signalRouteOf(names.tradingSignals).recordsQueue,
    names.marketDataReplicaQueue,
    names.modelEventsReplicaQueue,
    names.positionEventsReplicaQueue,
  ];
  await deleteQueues(url, [...queues, ...queues.map((q) => `${q}.dlq`)]);
  const route = signalRouteOf(names.tradingSignals);
  const exchanges = [names.marketDataExchange, names.modelEventsExchange, names.positionEventsExchange, route.exchange, `${route.recordsQueue}.dlx`];
  await deleteExchanges(url, ownedPrefix === undefined ? exchanges : exchanges.filter((e) => e.startsWith(ownedPrefix)));
}
