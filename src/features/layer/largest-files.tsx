/** The heaviest files, so a person sees at once what makes a layer or an image big. */
import { Link } from 'react-router';
import { SizeText } from '../../ui/size-text';

export interface LargeFile {
  path: string;
  size: number;
  href: string;
  layerIndex?: number;
}

export function LargestFiles({ files }: { files: LargeFile[] }) {
  if (files.length === 0) return null;
  return (
    <details className="largest" data-testid="largest-files">
      <summary>Largest files</summary>
      <table className="grid">
        <tbody>
          {files.map((f) => (
            <tr key={`${f.layerIndex ?? ''}${f.path}`}>
              <td className="num">
                <SizeText bytes={f.size} />
              </td>
              {f.layerIndex !== undefined && <td>L{f.layerIndex + 1}</td>}
              <td>
                <Link to={f.href}>{f.path}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
