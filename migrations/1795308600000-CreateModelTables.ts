import { MigrationInterface, QueryRunner } from 'typeorm';

/** model_versions, model_quality_metrics and training_runs: the trainer's model registry. */
export class CreateModelTables1795308600000 implements MigrationInterface {
  name = 'CreateModelTables1795308600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE model_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        version varchar(100) NOT NULL,
        strategy_id varchar(100) NOT NULL,
        model_type varchar(50) NOT NULL,
        feature_set_version varchar(50) NOT NULL,
        file_path text NOT NULL,
        checksum varchar(128) NOT NULL,
        training_config jsonb NOT NULL DEFAULT '{}'::jsonb,
        metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
        training_dataset_size integer NOT NULL DEFAULT 0,
        training_duration_seconds double precision NOT NULL DEFAULT 0,
        training_run_id uuid NULL,
        is_active boolean NOT NULL DEFAULT false,
        status varchar(20) NOT NULL DEFAULT 'candidate',
        parent_version varchar(100) NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz NULL,
        deactivated_at timestamptz NULL,
        archived_at timestamptz NULL,
        CONSTRAINT uq_model_versions_version UNIQUE (version),
        CONSTRAINT chk_model_versions_status
          CHECK (status IN ('candidate', 'active', 'retired', 'rejected', 'archived')),
        CONSTRAINT chk_model_versions_active_status CHECK (NOT is_active OR status = 'active')
      )`);
    // At most one active version per strategy; activation swaps inside one transaction.
    await q.query(
      `CREATE UNIQUE INDEX uq_model_versions_one_active_per_strategy ON model_versions (strategy_id) WHERE is_active`,
    );
    await q.query(`CREATE INDEX idx_model_versions_strategy_created ON model_versions (strategy_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE model_quality_metrics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_version_id uuid NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
        strategy_id varchar(100) NOT NULL,
        metric_name varchar(100) NOT NULL,
        metric_value double precision NOT NULL,
        metric_type varchar(30) NOT NULL,
        evaluated_at timestamptz NOT NULL DEFAULT now(),
        dataset_size integer NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(
      `CREATE INDEX idx_model_quality_metrics_version_evaluated ON model_quality_metrics (model_version_id, evaluated_at)`,
    );
    await q.query(
      `CREATE INDEX idx_model_quality_metrics_name_evaluated ON model_quality_metrics (metric_name, evaluated_at)`,
    );

    await q.query(`
      CREATE TABLE training_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        strategy_id varchar(100) NOT NULL,
        "trigger" varchar(30) NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'queued',
        progress jsonb NULL,
        dataset_size integer NULL,
        model_version varchar(100) NULL,
        error text NULL,
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        trace_id varchar(100) NULL,
        queued_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        finished_at timestamptz NULL,
        CONSTRAINT chk_training_runs_trigger
          CHECK ("trigger" IN ('manual', 'schedule', 'data_threshold', 'quality_degradation', 'online')),
        CONSTRAINT chk_training_runs_status
          CHECK (status IN ('queued', 'running', 'cancelled', 'succeeded', 'failed', 'skipped'))
      )`);
    await q.query(`CREATE INDEX idx_training_runs_strategy_queued ON training_runs (strategy_id, queued_at DESC)`);
    await q.query(`CREATE INDEX idx_training_runs_queued ON training_runs (queued_at DESC)`);
    await q.query(
      `CREATE INDEX idx_training_runs_unfinished ON training_runs (queued_at) WHERE status IN ('queued', 'running')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE training_runs`);
    await q.query(`DROP TABLE model_quality_metrics`);
    await q.query(`DROP TABLE model_versions`);
  }
}
