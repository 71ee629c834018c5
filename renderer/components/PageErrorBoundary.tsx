import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorMessage } from '../../shared/errors.js';

interface Props {
  /** The page shown; a change of page clears a failure. */
  page: string;
  children: ReactNode;
}

interface State {
  failure: { page: string; message: string } | null;
}

/**
 * A page that throws while rendering shows what failed in its place, and the sidebar, the miner
 * controls and the other pages go on working: without this React unmounts the whole console.
 */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { failure: null };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { failure: { page: '', message: errorMessage(error) } };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (!state.failure) return null;
    if (state.failure.page === '') return { failure: { ...state.failure, page: props.page } };
    return state.failure.page === props.page ? null : { failure: null };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console's own log is the back end's; this one reaches DevTools and the e2e harness.
    console.error('Page failed', error, info.componentStack);
  }

  override render(): ReactNode {
    const { failure } = this.state;
    if (!failure) return this.props.children;
    return (
      <section className="page-failure" role="alert">
        <h1 id="page-title">This page failed</h1>
        <p>{failure.message}</p>
        <p>The miner and the other pages are not affected.</p>
        <button type="button" onClick={() => this.setState({ failure: null })}>
          Show the page again
        </button>
      </section>
    );
  }
}
