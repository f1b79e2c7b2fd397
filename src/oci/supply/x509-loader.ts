/**
 * Loads the X.509 / ASN.1 libraries on first use: certificates appear on a few pages only, and
 * @peculiar/x509 with its ASN.1 schemas is several times the size of the rest of the app. Its
 * dependency-injection container (tsyringe) needs the Reflect metadata polyfill loaded first.
 */
type X509 = typeof import('@peculiar/x509');
type Asn1 = typeof import('asn1js');

let loading: Promise<{ x509: X509; asn1: Asn1 }> | undefined;

export function loadX509(): Promise<{ x509: X509; asn1: Asn1 }> {
  loading ??= import('reflect-metadata').then(async () => {
    const [x509, asn1] = await Promise.all([import('@peculiar/x509'), import('asn1js')]);
    return { x509, asn1 };
  });
  return loading;
}
