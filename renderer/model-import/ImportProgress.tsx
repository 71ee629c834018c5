import type { ReactElement } from 'react';
import type { ModelImport } from '../../shared/domain/model-import.js';

const PHASE_TEXT: Record<ModelImport['phase'], string> = {
  downloading: 'Downloading',
  converting: 'Converting',
  registering: 'Registering',
  done: 'Imported',
  failed: 'Failed',
  cancelled: 'Stopped',
};

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Where an import stands: its phase, the bytes downloaded, and its outcome. */
export function ImportProgress({
  current,
  onShow,
}: {
  current: ModelImport;
  onShow: (modelId: string) => void;
}): ReactElement {
  const source =
    current.source.kind === 'hub' ? `${current.source.repo}@${current.source.revision}` : current.source.dir;
  const counting = current.phase === 'downloading' && current.bytesTotal > 0;
  return (
    <div className={`hf-import-progress phase-${current.phase}`} data-testid="hf-import-progress" role="status">
      <strong>{PHASE_TEXT[current.phase]}</strong> <span className="mono">{source}</span>
      {counting && (
        <>
          <progress value={current.bytesDone} max={current.bytesTotal} aria-label="Downloaded" />
          <span className="mono">
            {megabytes(current.bytesDone)} of {megabytes(current.bytesTotal)}
          </span>
        </>
      )}
      <div className={current.phase === 'failed' ? 'form-error' : 'muted'}>{current.detail}</div>
      {current.phase === 'done' && current.modelId && (
        <button type="button" onClick={() => onShow(current.modelId!)}>
          Show {current.modelId}
        </button>
      )}
    </div>
  );
}
