/**
 * Keeps one broken section (a hostile document a renderer chokes on) from blanking the page:
 * the rest stays readable and the failure is named.
 */
import { Component, type ReactNode } from 'react';

interface State {
  error?: Error;
}

export class SectionBoundary extends Component<{ name: string; children: ReactNode }, State> {
  state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <section className="error-panel" role="alert" data-testid="section-error">
          <h2>{this.props.name} could not be shown</h2>
          <p>{this.state.error.message}</p>
        </section>
      );
    }
    return this.props.children;
  }
}
