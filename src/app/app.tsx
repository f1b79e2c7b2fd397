/**
 * Providers and routes. The layer explorer and the layout opener load on first use: most visits
 * start with an image or an index, and the bundle stays under vite's 500 kB warning without them.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ExploreRoute } from './explore-route';
import { Layout } from './layout';
import { createQueryClient } from './query-client';
import { tabCredentials } from './tab-credentials';
import { CredentialsContext } from '../ui/credentials-context';

const FsRoute = lazy(() => import('./fs-route').then((module) => ({ default: module.FsRoute })));
const SizesRoute = lazy(() => import('./sizes-route').then((module) => ({ default: module.SizesRoute })));
const LayoutPage = lazy(() => import('../features/layout/layout-page').then((module) => ({ default: module.LayoutPage })));

function NotFound() {
  return (
    <section className="error-panel" role="alert" data-testid="error" data-kind="not-found">
      <h2>No such page</h2>
      <p>
        ociscope pages are addressed with ?image=, ?repo=, ?blob=, ?referrers=, ?compare=…&with=…, /fs/REPOSITORY@DIGEST/,
        /layers/REPOSITORY@DIGEST/ or /layout.
      </p>
    </section>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <CredentialsContext.Provider value={tabCredentials}>
        <BrowserRouter>
          <Layout>
            <Suspense
              fallback={
                <p className="loading" role="status">
                  Loading…
                </p>
              }
            >
              <Routes>
                <Route path="/" element={<ExploreRoute />} />
                <Route path="/fs/*" element={<FsRoute />} />
                {/* explore.ggcr.dev's other path forms: fs-params.ts reads them all. */}
                <Route path="/layers/*" element={<FsRoute />} />
                <Route path="/size/*" element={<SizesRoute />} />
                <Route path="/sizes/*" element={<SizesRoute />} />
                <Route path="/blob/*" element={<FsRoute />} />
                <Route path="/layout" element={<LayoutPage />} />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </Suspense>
          </Layout>
        </BrowserRouter>
      </CredentialsContext.Provider>
    </QueryClientProvider>
  );
}
