/**
 * The PostgreSQL and RabbitMQ servers that specs, test harnesses and benches use: DATABASE_URL and
 * RABBITMQ_URL when set, else the local defaults. Test tooling only (exported through
 * `@model-service/util/testing`); the apps read these variables through their validated env classes.
 */
export const TEST_DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/model_service';
export const TEST_RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
