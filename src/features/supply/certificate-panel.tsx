/**
 * A signing certificate as a person reads it: who (SAN identity), issued by whom, valid when,
 * the key, Sigstore's Fulcio extensions by name, and for a chain whether each link is signed by
 * the next. Values are text; URLs in them link only when http(s).
 */
import { useQuery } from '@tanstack/react-query';
import { type CertificateSummary, checkChainLinks } from '../../oci/supply/certificate';
import { CheckLine } from './check-line';
import { MaybeLink } from './external-link';
import { FactsTable } from './facts-table';

function Certificate({ cert, index }: { cert: CertificateSummary; index: number }) {
  return (
    <div className="supply-section" data-testid="certificate" data-index={index}>
      <FactsTable
        facts={[
          ['Subject', cert.subject || '(empty)'],
          [
            'Identity (SAN)',
            cert.identities.length > 0
              ? cert.identities.map((i) => (
                  <div key={`${i.type}:${i.value}`}>
                    {i.type}: <MaybeLink text={i.value} />
                  </div>
                ))
              : undefined,
          ],
          ['Issuer', cert.issuer],
          ['Valid', `${cert.notBefore.toISOString()} → ${cert.notAfter.toISOString()}`],
          ['Key', cert.keyAlgorithm],
          ['Signed with', cert.signatureAlgorithm],
          ['Serial', <code key="s">{cert.serialNumber}</code>],
          ['SHA-256 fingerprint', <code key="f">{cert.sha256Fingerprint}</code>],
          ['CA', cert.isCa ? 'yes' : undefined],
        ]}
      />
      {cert.fulcio.length > 0 && (
        <table className="kv" data-testid="fulcio-extensions">
          <caption className="small muted">Sigstore Fulcio extensions</caption>
          <tbody>
            {cert.fulcio.map((e) => (
              <tr key={e.oid}>
                <th title={e.oid}>{e.name}</th>
                <td>
                  <MaybeLink text={e.value} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function CertificateChain({ certificates, title }: { certificates: CertificateSummary[]; title: string }) {
  const links = useQuery({
    queryKey: ['supply', 'chain', certificates.map((c) => c.sha256Fingerprint).join(',')],
    queryFn: () => checkChainLinks(certificates),
    enabled: certificates.length > 1,
    staleTime: Infinity,
  });
  return (
    <section className="supply-section" data-testid="certificate-chain">
      <h4>{title}</h4>
      {certificates.map((cert, i) => (
        <Certificate cert={cert} index={i} key={`${cert.sha256Fingerprint}-${i}`} />
      ))}
      {links.data?.map((link, i) => (
        <CheckLine key={i} status={link.status} title={`Chain link ${i + 1}`} note={`${link.subject}: ${link.note}`} testId="chain-link" />
      ))}
    </section>
  );
}
