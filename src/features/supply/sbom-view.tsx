/**
 * An SBOM (SPDX or CycloneDX) as a package table: the document's facts, counts per ecosystem
 * (each one a filter), a text filter over every column, and the rows virtualised so a 10,000-row
 * table scrolls like a short one. Image purls link into ociscope; licences and suppliers are text.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type Sbom, type SbomPackage, filterPackages } from '../../oci/supply/sbom';
import { imageUrl } from '../../lib/view-urls';
import { VirtualRows } from '../../ui/virtual-rows';
import { FactsTable } from './facts-table';
import { ProblemNotes } from './problem-notes';

function PackageRow({ pkg }: { pkg: SbomPackage }) {
  return (
    <div className="sbom-row" data-testid="sbom-package">
      <span title={pkg.name}>{pkg.image ? <Link to={imageUrl(pkg.image)}>{pkg.name}</Link> : pkg.name}</span>
      <span title={pkg.version}>{pkg.version ?? '–'}</span>
      <span>{pkg.ecosystem}</span>
      <span title={pkg.licence}>{pkg.licence ?? '–'}</span>
      <span title={pkg.purl}>
        <code>{pkg.purl ?? '–'}</code>
      </span>
      <span title={pkg.supplier}>{pkg.supplier ?? '–'}</span>
    </div>
  );
}

export function SbomView({ sbom }: { sbom: Sbom }) {
  const [query, setQuery] = useState('');
  const [ecosystem, setEcosystem] = useState<string>();
  const deferredQuery = useDeferredValue(query);
  const rows = useMemo(() => filterPackages(sbom.packages, deferredQuery, ecosystem), [sbom.packages, deferredQuery, ecosystem]);
  return (
    <section className="supply-section" data-testid="sbom" data-format={sbom.format}>
      <h4>
        {sbom.format} SBOM <span className="muted small">{sbom.specVersion}</span>
      </h4>
      <FactsTable
        facts={[
          ['Describes', sbom.name],
          ['Created', sbom.created],
          ['Made by', sbom.tools.length > 0 ? sbom.tools.join(', ') : undefined],
          ['Packages', <span data-testid="sbom-package-count">{sbom.packages.length.toLocaleString('en-US')}</span>],
        ]}
      />
      <ProblemNotes problems={sbom.problems} />
      <ul className="ecosystems" aria-label="Packages per ecosystem">
        {sbom.ecosystems.map(({ ecosystem: name, count }) => (
          <li key={name}>
            <button
              type="button"
              aria-pressed={ecosystem === name}
              onClick={() => setEcosystem(ecosystem === name ? undefined : name)}
              data-testid="sbom-ecosystem"
            >
              {name} <span className="count">{count.toLocaleString('en-US')}</span>
            </button>
          </li>
        ))}
      </ul>
      <input
        type="search"
        className="filter"
        placeholder="Filter packages by name, version, licence, purl…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label="Filter packages"
        data-testid="sbom-filter"
      />
      <p className="small muted" data-testid="sbom-shown">
        {rows.length.toLocaleString('en-US')} of {sbom.packages.length.toLocaleString('en-US')} packages
      </p>
      <div className="sbom-row sbom-head" aria-hidden="true">
        <span>Name</span>
        <span>Version</span>
        <span>Ecosystem</span>
        <span>Licence</span>
        <span>purl</span>
        <span>Supplier</span>
      </div>
      <VirtualRows
        count={rows.length}
        rowHeight={28}
        renderRow={(i) => <PackageRow pkg={rows[i]!} />}
        testId="sbom-packages"
        maxHeight="60vh"
      />
    </section>
  );
}
