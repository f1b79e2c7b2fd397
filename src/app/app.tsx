/** Providers and routes. */
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { LayoutPage } from '../features/layout/layout-page';
import { ExploreRoute } from './explore-route';
import { FsRoute } from './fs-route';
import { Layout } from './layout';
import { createQueryClient } from './query-client';

function NotFound() {
  return (
    <section className="error-panel" role="alert" data-testid="error" data-kind="not-found">
      <h2>No such page</h2>
      <p>ociscope pages are addressed with ?image=, ?repo=, ?blob=, ?referrers=, /fs/REPOSITORY@DIGEST/ or /layout.</p>
    </section>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Layout>
          <Routes>
            <Route path="/" element={<ExploreRoute />} />
            <Route path="/fs/*" element={<FsRoute />} />
            <Route path="/layout" element={<LayoutPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Layout>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
