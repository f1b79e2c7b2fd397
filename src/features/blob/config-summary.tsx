/** What an image config says a container will be: platform, command, environment, labels. */
import { formatPlatform } from '../../oci/spec/descriptor';
import type { ImageConfig } from '../../oci/spec/image-config';
import { AnnotationsTable } from '../../ui/annotations-table';
import { DateText } from '../../ui/date-text';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <tr>
      <th>{label}</th>
      <td>{children}</td>
    </tr>
  );
}

function Argv({ argv }: { argv: string[] | undefined }) {
  if (!argv) return <span className="muted">not set</span>;
  return <code>{JSON.stringify(argv)}</code>;
}

export function ConfigSummary({ config, imageId }: { config: ImageConfig; imageId: string }) {
  const platform = formatPlatform(config);
  return (
    <section data-testid="config-summary">
      <h3>Image config</h3>
      <table className="kv">
        <tbody>
          <Row label="Image ID">
            <code data-testid="image-id">{imageId}</code> <span className="muted">(the config digest)</span>
          </Row>
          <Row label="Platform">
            <span data-testid="config-platform">{platform || 'not set'}</span>
            {config.osVersion && <span className="muted"> {config.osVersion}</span>}
          </Row>
          {config.created && (
            <Row label="Created">
              <DateText value={config.created} />
            </Row>
          )}
          {config.author && <Row label="Author">{config.author}</Row>}
          <Row label="Entrypoint">
            <Argv argv={config.entrypoint} />
          </Row>
          <Row label="Cmd">
            <Argv argv={config.cmd} />
          </Row>
          <Row label="Working dir">{config.workingDir || <span className="muted">not set (/)</span>}</Row>
          <Row label="User">{config.user || <span className="muted">not set (root)</span>}</Row>
          {config.exposedPorts.length > 0 && <Row label="Exposed ports">{config.exposedPorts.join(', ')}</Row>}
          {config.volumes.length > 0 && <Row label="Volumes">{config.volumes.join(', ')}</Row>}
          {config.stopSignal && <Row label="Stop signal">{config.stopSignal}</Row>}
          <Row label="Env">
            {config.env.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <ul className="env" data-testid="config-env">
                {config.env.map((e, i) => (
                  <li key={i}>
                    <code>{e}</code>
                  </li>
                ))}
              </ul>
            )}
          </Row>
        </tbody>
      </table>
      <AnnotationsTable title="Labels" entries={config.labels} testId="labels" />
    </section>
  );
}
