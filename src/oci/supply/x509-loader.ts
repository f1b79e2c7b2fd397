/**
 * Loads the X.509 / ASN.1 libraries on first use: certificates appear on a few pages only, and
 * @peculiar/x509 with its ASN.1 schemas is several times the size of the rest of the app. Its
 * dependency-injection container (tsyringe) needs the Reflect metadata polyfill loaded first.
 */
import type * as X509Module from '@peculiar/x509';
import type * as Asn1Module from 'asn1js';

type X509 = typeof X509Module;
type Asn1 = typeof Asn1Module;

let loading: Promise<{ x509: X509; asn1: Asn1 }> | undefined;

export function loadX509(): Promise<{ x509: X509; asn1: Asn1 }> {
  loading ??= import('reflect-metadata').then(async () => {
    const [x509, asn1] = await Promise.all([import('@peculiar/x509'), import('asn1js')]);
    return { x509, asn1 };
  });
  return loading;
}
