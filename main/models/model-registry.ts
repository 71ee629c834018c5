/**
 * The model registry's rows: every model with its manifest fields, where its folder lives, its
 * origin and parent, when it was published, its evaluations and the deployment history. SQLite
 * (WAL, full sync): a deployment that returned is on disk. The live model is not a column but
 * the replay of the history: a deploy pushes, a rollback pops, so Rollback always knows where
 * to go back to, across restarts.
 */
import type { Statement } from 'better-sqlite3';
import {
  ModelEvaluationSchema,
  ModelOriginSchema,
  type Deployment,
  type ModelEvaluation,
  type ModelOrigin,
} from '../../shared/domain/model-registry.js';
import type { ModelManifest } from '../../shared/domain/model-manifest.js';
import type { Db } from '../store/database.js';

/**
 * Where a model was published on Hugging Face (the Publish room records it with the time). Added
 * to an older registry when opened rather than as a numbered migration, so it does not depend on
 * where other rooms' migrations fall in the host's list.
 */
function ensurePublishedRepoColumn(db: Db): void {
  const columns = db.prepare('PRAGMA table_info(models)').all() as { name: string }[];
  if (!columns.some((column) => column.name === 'published_repo')) {
    db.exec('ALTER TABLE models ADD COLUMN published_repo TEXT');
  }
}

export interface ModelRecord {
  id: string;
  name: string;
  version: string;
  architecture: string;
  dir: string;
  contentHash: string;
  dataHash: string;
  metrics: { valAccuracy: number | null; valMcc: number | null; valLoss: number | null };
  parentId: string | null;
  origin: ModelOrigin;
  createdAt: string;
  registeredAt: string;
  publishedAt: string | null;
  publishedRepo: string | null;
}

export interface NewModel {
  id: string;
  dir: string;
  contentHash: string;
  manifest: ModelManifest;
  parentId: string | null;
  origin: ModelOrigin;
}

interface ModelRow {
  id: string;
  name: string;
  version: string;
  architecture: string;
  dir: string;
  content_hash: string;
  data_hash: string;
  val_accuracy: number | null;
  val_mcc: number | null;
  val_loss: number | null;
  parent_id: string | null;
  origin: string;
  created_at: string;
  registered_at: string;
  published_at: string | null;
  published_repo: string | null;
}

interface DeploymentRow {
  seq: number;
  model_id: string;
  kind: Deployment['kind'];
  at: string;
  served_now: number;
}

export class ModelRegistry {
  private readonly statements: {
    all: Statement<[], ModelRow>;
    byId: Statement<[string], ModelRow>;
    byContent: Statement<[string], ModelRow>;
    insert: Statement<[Record<string, unknown>]>;
    publish: Statement<[string | null, string | null, string]>;
    addEvaluation: Statement<[string, string, string]>;
    latestEvaluation: Statement<[string], { report: string }>;
    deployments: Statement<[], DeploymentRow>;
    addDeployment: Statement<[string, string, string, number]>;
  };

  constructor(private readonly db: Db) {
    ensurePublishedRepoColumn(db);
    this.statements = {
      all: db.prepare('SELECT * FROM models ORDER BY registered_at DESC, rowid DESC'),
      byId: db.prepare('SELECT * FROM models WHERE id = ?'),
      byContent: db.prepare('SELECT * FROM models WHERE content_hash = ?'),
      insert: db.prepare(
        `INSERT INTO models (id, name, version, architecture, dir, content_hash, data_hash, val_accuracy, val_mcc,
           val_loss, parent_id, origin, created_at, registered_at, published_at)
         VALUES (@id, @name, @version, @architecture, @dir, @content_hash, @data_hash, @val_accuracy, @val_mcc,
           @val_loss, @parent_id, @origin, @created_at, @registered_at, NULL)`,
      ),
      publish: db.prepare(
        'UPDATE models SET published_at = ?, published_repo = COALESCE(?, published_repo) WHERE id = ?',
      ),
      addEvaluation: db.prepare('INSERT INTO model_evaluations (model_id, at, report) VALUES (?, ?, ?)'),
      latestEvaluation: db.prepare('SELECT report FROM model_evaluations WHERE model_id = ? ORDER BY id DESC LIMIT 1'),
      deployments: db.prepare('SELECT * FROM model_deployments ORDER BY seq'),
      addDeployment: db.prepare('INSERT INTO model_deployments (model_id, kind, at, served_now) VALUES (?, ?, ?, ?)'),
    };
  }

  all(): ModelRecord[] {
    return this.statements.all.all().map(fromRow);
  }

  get(id: string): ModelRecord | null {
    const row = this.statements.byId.get(id);
    return row ? fromRow(row) : null;
  }

  byContent(contentHash: string): ModelRecord | null {
    const row = this.statements.byContent.get(contentHash);
    return row ? fromRow(row) : null;
  }

  /** An id no model has: `<name>-<version>`, with `-2`, `-3`… when that is taken. */
  freeId(manifest: ModelManifest): string {
    const base =
      `${manifest.name}-${manifest.version}`
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '')
        .slice(0, 100) || 'model';
    let id = base;
    for (let n = 2; this.statements.byId.get(id); n++) id = `${base}-${n}`;
    return id;
  }

  add(model: NewModel): ModelRecord {
    const { manifest } = model;
    this.statements.insert.run({
      id: model.id,
      name: manifest.name,
      version: manifest.version,
      architecture: manifest.architecture,
      dir: model.dir,
      content_hash: model.contentHash,
      data_hash: manifest.training.dataHash,
      val_accuracy: manifest.metrics.valAccuracy,
      val_mcc: manifest.metrics.valMcc,
      val_loss: manifest.metrics.valLoss,
      parent_id: model.parentId,
      origin: JSON.stringify(model.origin),
      created_at: manifest.createdAt,
      registered_at: new Date().toISOString(),
    });
    return this.get(model.id)!;
  }

  setPublished(id: string, at: string | null, repo: string | null = null): void {
    this.statements.publish.run(at, repo, id);
  }

  addEvaluation(evaluation: ModelEvaluation): void {
    this.statements.addEvaluation.run(evaluation.candidateId, evaluation.at, JSON.stringify(evaluation));
  }

  /** The latest evaluation as stored (its gate as judged then). */
  latestEvaluation(id: string): ModelEvaluation | null {
    const row = this.statements.latestEvaluation.get(id);
    if (!row) return null;
    const parsed = ModelEvaluationSchema.safeParse(JSON.parse(row.report));
    return parsed.success ? parsed.data : null;
  }

  deployments(): Deployment[] {
    return this.statements.deployments.all().map((row) => ({
      seq: row.seq,
      modelId: row.model_id,
      kind: row.kind,
      at: row.at,
      servedNow: row.served_now === 1,
    }));
  }

  recordDeployment(modelId: string, kind: Deployment['kind'], servedNow: boolean): Deployment {
    const at = new Date().toISOString();
    const { lastInsertRowid } = this.statements.addDeployment.run(modelId, kind, at, servedNow ? 1 : 0);
    return { seq: Number(lastInsertRowid), modelId, kind, at, servedNow };
  }

  /** The deployed models as a stack, the live one last: deploys push, rollbacks pop. */
  deployedStack(): string[] {
    const stack: string[] = [];
    for (const deployment of this.deployments()) {
      if (deployment.kind === 'rollback') {
        stack.pop();
        if (stack.at(-1) !== deployment.modelId) stack.push(deployment.modelId);
      } else stack.push(deployment.modelId);
    }
    return stack;
  }

  liveId(): string | null {
    return this.deployedStack().at(-1) ?? null;
  }

  rollbackTargetId(): string | null {
    return this.deployedStack().at(-2) ?? null;
  }
}

function fromRow(row: ModelRow): ModelRecord {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    architecture: row.architecture,
    dir: row.dir,
    contentHash: row.content_hash,
    dataHash: row.data_hash,
    metrics: { valAccuracy: row.val_accuracy, valMcc: row.val_mcc, valLoss: row.val_loss },
    parentId: row.parent_id,
    origin: ModelOriginSchema.parse(JSON.parse(row.origin)),
    createdAt: row.created_at,
    registeredAt: row.registered_at,
    publishedAt: row.published_at,
    publishedRepo: row.published_repo,
  };
}
